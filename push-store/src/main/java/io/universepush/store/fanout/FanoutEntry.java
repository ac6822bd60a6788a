package io.universepush.store.fanout;

import java.util.Collection;
import java.util.Set;

/**
 * One tag or app-wide push in its app's fan-out log: which devices it is for, not what it says (the message itself is
 * stored once under its msg id, with its TTL).
 *
 * @param offset the entry's place in its channel's log, consecutive from 1 within {@code epoch}; 0 until appended,
 *     and for online-only pushes that are never logged
 * @param epoch the log's epoch the offset belongs to; empty until appended
 * @param channel which of the app's logs: empty for its tag and app-wide pushes, {@link #groupChannel} for a group's
 *     messages (whose offsets are the group's message sequence)
 * @param tags empty: every device of the app; otherwise devices carrying at least one of them
 * @param platforms empty: every platform; otherwise only these ({@code android}, {@code ios}, {@code web})
 * @param sender the reg id of the device that sent a group message (it does not receive its own); empty otherwise
 * @param appendedAtMs when the log took it (0 until appended)
 */
public record FanoutEntry(
    long offset,
    String epoch,
    String appId,
    String channel,
    String msgId,
    Set<String> tags,
    Set<String> platforms,
    String sender,
    long expiresAtMs,
    long appendedAtMs) {

  /** The prefix of a group's channel: {@code group:<group id>}. */
  public static final String GROUP_CHANNEL_PREFIX = "group:";

  public FanoutEntry {
    epoch = epoch == null ? "" : epoch;
    channel = channel == null ? "" : channel;
    sender = sender == null ? "" : sender;
    tags = tags == null ? Set.of() : Set.copyOf(tags);
    platforms = platforms == null ? Set.of() : Set.copyOf(platforms);
  }

  /** An entry of the app's own channel (tag and app-wide pushes). */
  public FanoutEntry(
      long offset,
      String epoch,
      String appId,
      String msgId,
      Set<String> tags,
      Set<String> platforms,
      long expiresAtMs,
      long appendedAtMs) {
    this(offset, epoch, appId, "", msgId, tags, platforms, "", expiresAtMs, appendedAtMs);
  }

  /** A tag or app-wide push not yet appended. */
  public static FanoutEntry of(
      String appId, String msgId, Set<String> tags, Set<String> platforms, long expiresAtMs) {
    return new FanoutEntry(0, "", appId, msgId, tags, platforms, expiresAtMs, 0);
  }

  /** A group message not yet appended: for every member of the group but its sender. */
  public static FanoutEntry groupMessage(
      String appId, String groupId, String msgId, String senderRegId, long expiresAtMs) {
    return new FanoutEntry(
        0, "", appId, groupChannel(groupId), msgId, Set.of(), Set.of(), senderRegId, expiresAtMs, 0);
  }

  /** The channel of a group's messages. */
  public static String groupChannel(String groupId) {
    return GROUP_CHANNEL_PREFIX + groupId;
  }

  /** The group of a group channel, or null for the app's own channel. */
  public String groupId() {
    return channel.startsWith(GROUP_CHANNEL_PREFIX) ? channel.substring(GROUP_CHANNEL_PREFIX.length()) : null;
  }

  public FanoutEntry appended(long newOffset, String newEpoch, long atMs) {
    return new FanoutEntry(
        newOffset, newEpoch, appId, channel, msgId, tags, platforms, sender, expiresAtMs, atMs);
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
