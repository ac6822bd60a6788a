package io.universepush.sdk.internal;

import java.util.Random;

/**
 * Exponential back-off with jitter for reconnects: base, 2 x base, 4 x base ... capped at max, each delay shortened by a
 * random fraction up to {@code jitter} so that devices dropped together by a failing node do not return together.
 * Not thread-safe; one per client. Not public API.
 */
public final class Backoff {
  private final long baseMs;
  private final long maxMs;
  private final double jitter;
  private final Random random;
  private int failures;

  public Backoff(long baseMs, long maxMs, double jitter, Random random) {
    if (baseMs < 1 || maxMs < baseMs) {
      throw new IllegalArgumentException("need 1 <= base <= max, got base " + baseMs + ", max " + maxMs);
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be within [0, 1], got " + jitter);
    }
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.jitter = jitter;
    this.random = random;
  }

  /** The delay before the next attempt; each call without {@link #reset()} doubles it up to the maximum. */
  public long nextDelayMs() {
    long delay = baseMs << Math.min(failures, 30);
    if (delay <= 0 || delay > maxMs) {
      delay = maxMs;
    }
    failures++;
    return jittered(delay);
  }

  /** The longest delay (with jitter), for failures that retrying soon will not fix, such as bad credentials. */
  public long maxDelayMs() {
    failures++;
    return jittered(maxMs);
  }

  /** Called once a connection succeeded: the next failure waits the base delay again. */
  public void reset() {
    failures = 0;
  }

  private long jittered(long delay) {
    return Math.max(1, (long) (delay * (1 - jitter * random.nextDouble())));
  }
}
