package io.universepush.store.fanout;

import java.util.List;

/**
 * One read of an app's fan-out log for one device.
 *
 * @param epoch the log's epoch now
 * @param top the offset of the log's newest entry (0 when it has none)
 * @param recovered false when the position asked for could not be continued: another epoch, or entries after it are
 *     gone (trimmed); the read then starts at {@code top} and holds nothing
 * @param from the offset the read starts after: the position asked for when recovered, else {@code top}; for a
 *     device without a position, the offset before its first entry appended at or after the time given
 * @param until the offset of the last entry the read examined ({@code from} when none): a reader that has handled the
 *     entries is at {@code until}
 * @param entries the unexpired entries in ({@code from}, {@code until}], oldest first
 */
public record FanoutPage(
    String epoch, long top, boolean recovered, long from, long until, List<FanoutEntry> entries) {

  public FanoutPage {
    entries = List.copyOf(entries);
  }

  /** Whether the log holds entries after {@code until}. */
  public boolean hasMore() {
    return until < top;
  }

  public FanoutPosition position() {
    return new FanoutPosition(until, epoch);
  }
}
