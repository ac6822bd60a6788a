package io.universepush.connector.session;

import java.time.Duration;

/**
 * When an unacknowledged push is written again, and how often at most. Attempt n (1 = first write) waits
 * {@code timeout x 2^(n-1)}, capped at the max delay: a device that is slow to ack is not flooded, one that lost a
 * frame gets it again soon. Pure arithmetic.
 */
public class RedeliveryPolicy {
  private final long timeoutMs;
  private final long maxDelayMs;
  private final int maxAttempts;

  public RedeliveryPolicy(Duration timeout, Duration maxDelay, int maxAttempts) {
    this.timeoutMs = timeout.toMillis();
    this.maxDelayMs = maxDelay.toMillis();
    this.maxAttempts = maxAttempts;
  }

  /** How long attempt {@code attempt} waits for its ack before the next one. */
  public long delayMs(int attempt) {
    int doublings = Math.max(0, Math.min(attempt - 1, 30));
    long delay = timeoutMs << doublings;
    return delay < 0 || delay > maxDelayMs ? maxDelayMs : delay;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** Whether attempt number {@code attempt} is past the limit (the push is given up instead of written). */
  public boolean exhausted(int attempt) {
    return attempt > maxAttempts;
  }
}
