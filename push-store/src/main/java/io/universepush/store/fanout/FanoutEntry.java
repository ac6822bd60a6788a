package io.universepush.store.fanout;

import java.util.Collection;
import java.util.Set;

/**
 * One tag or app-wide push in its app's fan-out log: which devices it is for, not what it says (the message itself is
 * stored once under its msg id, with its TTL).
 *
 * @param offset the entry's place in the log, consecutive from 1 within {@code epoch}; 0 until appended, and for
 *     online-only pushes that are never logged
 * @param epoch the log's epoch the offset belongs to; empty until appended
 * @param tags empty: every device of the app; otherwise devices carrying at least one of them
 * @param platforms empty: every platform; otherwise only these ({@code android}, {@code ios}, {@code web})
 * @param appendedAtMs when the log took it (0 until appended)
 */
public record FanoutEntry(
    long offset,
    String epoch,
    String appId,
    String msgId,
    Set<String> tags,
    Set<String> platforms,
    long expiresAtMs,
    long appendedAtMs) {

  public FanoutEntry {
    epoch = epoch == null ? "" : epoch;
    tags = tags == null ? Set.of() : Set.copyOf(tags);
    platforms = platforms == null ? Set.of() : Set.copyOf(platforms);
  }

  /** An entry not yet appended. */
  public static FanoutEntry of(
      String appId, String msgId, Set<String> tags, Set<String> platforms, long expiresAtMs) {
    return new FanoutEntry(0, "", appId, msgId, tags, platforms, expiresAtMs, 0);
  }

  public FanoutEntry appended(long newOffset, String newEpoch, long atMs) {
    return new FanoutEntry(newOffset, newEpoch, appId, msgId, tags, platforms, expiresAtMs, atMs);
  }

  /** Whether it is in the log (online-only pushes are not, and carry no position). */
  public boolean isLogged() {
    return offset > 0;
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
