package io.universepush.store.fanout;

import java.util.List;

/**
 * Each app's log of tag and app-wide pushes that have a ttl: the truth that devices which were offline (or missed the
 * live topic) catch up from. Trimmed by age and length; an entry whose message expired is never replayed.
 */
public interface FanoutLog {

  /** Appends the entry (its id is ignored) and returns it with the id the log gave it. */
  FanoutEntry append(FanoutEntry entry);

  /**
   * The app's entries after {@code cursor}, oldest first, at most {@code limit}. With a null or empty cursor, the
   * entries appended at or after {@code sinceMs} (a device's registration time, for one that never had a cursor).
   */
  List<FanoutEntry> after(String appId, String cursor, long sinceMs, int limit);
}
