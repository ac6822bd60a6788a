package io.universepush.store.fanout;

/**
 * Each app's logs: its own channel of tag and app-wide pushes that have a ttl, and one channel per group of its group
 * messages ({@link FanoutEntry#groupChannel}). A log is the truth that devices which were offline (or missed the live
 * topic) catch up from. Entries get consecutive offsets within the log's epoch; the log is trimmed by age and by
 * length, and a new epoch starts when it is lost. An entry whose message expired is never returned.
 */
public interface FanoutLog {

  /**
   * Appends the entry to its channel's log (its offset and epoch are ignored) and returns it with the offset and epoch
   * the log gave it.
   */
  FanoutEntry append(FanoutEntry entry);

  /** The channel log's epoch and newest offset; starts an epoch when it has none yet. */
  FanoutPosition top(String appId, String channel);

  /**
   * At most {@code limit} entries of the channel after {@code after}, oldest first (see {@link FanoutPage}). With a
   * null position (a device that never had one), from the first entry appended at or after {@code sinceMs}.
   */
  FanoutPage read(String appId, String channel, FanoutPosition after, long sinceMs, int limit);

  /** The app's own channel. */
  default FanoutPosition top(String appId) {
    return top(appId, "");
  }

  /** The app's own channel. */
  default FanoutPage read(String appId, FanoutPosition after, long sinceMs, int limit) {
    return read(appId, "", after, sinceMs, limit);
  }
}
