package io.universepush.sdk.internal;

import io.universepush.sdk.FanoutPosition;
import java.util.Map;
import java.util.TreeMap;

/**
 * One binding's progress through one channel's log on one connection (its app's fan-out log, or one group's message
 * log): the position, moved only over contiguous entries, and the entries processed beyond a gap, which wait for the
 * gap to fill. Each push of the channel names the offset of the binding's previous one ({@code fanout_prev_offset}):
 * the entries between the two were for other devices, so
 * a client at position P may count a push at offset O with previous offset V when {@code V <= P < O}. Pushes arrive in
 * log order on one connection, but a listener that throws holds one back until its redelivery, and then the pushes
 * after it must wait. Not thread-safe; not public API.
 */
final class FanoutProgress {
  /** Held entries beyond a gap, per binding; past this, the farthest are forgotten and come again after a reconnect. */
  static final int DEFAULT_MAX_HELD = 1024;

  private final FanoutPosition start;
  private final int maxHeld;
  private FanoutPosition position;
  /** Entries processed beyond a gap: offset to previous offset. */
  private final TreeMap<Long, Long> held = new TreeMap<Long, Long>();

  /** @param start the position the connection starts from (sent in CONNECT), null when there is none */
  FanoutProgress(FanoutPosition start, int maxHeld) {
    this.start = start;
    this.position = start;
    this.maxHeld = maxHeld;
  }

  /** The position sent in CONNECT, or null. */
  FanoutPosition start() {
    return start;
  }

  /** The current position, or null while the client has none (it sent none and the server named none). */
  FanoutPosition position() {
    return position;
  }

  /** The server names the position it starts from: counting continues from there, anything held is void. */
  void restartAt(FanoutPosition serverPosition) {
    position = serverPosition;
    held.clear();
  }

  int heldCount() {
    return held.size();
  }

  /**
   * The app has processed the entry at {@code offset} (delivered, or a duplicate of one delivered). Returns true when
   * the position moved, possibly beyond {@code offset} when held entries follow on.
   */
  boolean processed(long previousOffset, long offset) {
    if (position == null || offset <= position.offset()) {
      // Nothing to count from, or an entry already counted (a redelivery).
      return false;
    }
    if (previousOffset > position.offset()) {
      hold(previousOffset, offset);
      return false;
    }
    long reached = offset;
    for (Map.Entry<Long, Long> next : held.tailMap(reached, false).entrySet()) {
      if (next.getValue() <= reached) {
        reached = next.getKey();
      }
    }
    held.headMap(reached, true).clear();
    position = position.withOffset(reached);
    return true;
  }

  private void hold(long previousOffset, long offset) {
    if (previousOffset >= offset) {
      // A malformed chain link could never be reached; keeping it would only take a slot.
      return;
    }
    held.put(offset, previousOffset);
    if (held.size() > maxHeld) {
      held.pollLastEntry();
    }
  }
}
