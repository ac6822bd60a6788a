package io.universepush.store.message;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Message ids that sort lexicographically in creation order within a process and are unique across processes:
 * 12 hex digits of epoch millis, 6 of a per-millisecond counter, 6 of a per-process random nonce and 8 random ones.
 * 32 lowercase hex characters, URL-safe.
 */
public final class MessageIds {
  private static final int COUNTER_LIMIT = 1 << 24;
  private static final String PROCESS_NONCE = String.format("%06x", new SecureRandom().nextInt(1 << 24));

  private static long lastMillis;
  private static int counter;

  private MessageIds() {}

  public static String next() {
    long millis;
    int sequence;
    synchronized (MessageIds.class) {
      // Never let the time part go backwards (clock adjustments), or ids would stop sorting in creation order.
      long now = Math.max(System.currentTimeMillis(), lastMillis);
      if (now == lastMillis) {
        if (++counter == COUNTER_LIMIT) {
          now++;
          counter = 0;
        }
      } else {
        counter = 0;
      }
      lastMillis = now;
      millis = now;
      sequence = counter;
    }
    int random = ThreadLocalRandom.current().nextInt();
    return String.format("%012x%06x%s%08x", millis, sequence, PROCESS_NONCE, random);
  }
}
