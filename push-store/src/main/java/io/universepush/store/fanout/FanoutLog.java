package io.universepush.store.fanout;

/**
 * Each app's log of tag and app-wide pushes that have a ttl: the truth that devices which were offline (or missed the
 * live topic) catch up from. Entries get consecutive offsets within the log's epoch; the log is trimmed by age (the
 * longest ttl a push may have) and by length, and a new epoch starts when it is lost. An entry whose message expired
 * is never returned.
 */
public interface FanoutLog {

  /** Appends the entry (its offset and epoch are ignored) and returns it with the offset and epoch the log gave it. */
  FanoutEntry append(FanoutEntry entry);

  /** The log's epoch and newest offset; starts an epoch when the app has none yet. */
  FanoutPosition top(String appId);

  /**
   * At most {@code limit} entries after {@code after}, oldest first (see {@link FanoutPage}). With a null position
   * (a device that never had one), from the first entry appended at or after {@code sinceMs}.
   */
  FanoutPage read(String appId, FanoutPosition after, long sinceMs, int limit);
}
