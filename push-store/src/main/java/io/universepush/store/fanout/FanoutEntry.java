package io.universepush.store.fanout;

import java.util.Collection;
import java.util.Set;

/**
 * One tag or app-wide push in its app's fan-out log: which devices it is for, not what it says (the message itself is
 * stored once under its msg id, with its TTL).
 *
 * @param id the entry id in the log, time-ordered ({@link FanoutIds}); null until appended, and for online-only pushes
 *     that are never logged
 * @param tags empty: every device of the app; otherwise devices carrying at least one of them
 * @param platforms empty: every platform; otherwise only these ({@code android}, {@code ios}, {@code web})
 */
public record FanoutEntry(
    String id, String appId, String msgId, Set<String> tags, Set<String> platforms, long expiresAtMs) {

  public FanoutEntry {
    tags = tags == null ? Set.of() : Set.copyOf(tags);
    platforms = platforms == null ? Set.of() : Set.copyOf(platforms);
  }

  public FanoutEntry withId(String newId) {
    return new FanoutEntry(newId, appId, msgId, tags, platforms, expiresAtMs);
  }

  public boolean isExpired(long nowMs) {
    return expiresAtMs > 0 && nowMs >= expiresAtMs;
  }

  /** Whether a device with this platform and these tags is in the audience. */
  public boolean matches(String platform, Collection<String> deviceTags) {
    if (!platforms.isEmpty() && !platforms.contains(platform)) {
      return false;
    }
    if (tags.isEmpty()) {
      return true;
    }
    for (String tag : deviceTags) {
      if (tags.contains(tag)) {
        return true;
      }
    }
    return false;
  }
}
