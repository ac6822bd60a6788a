package io.universepush.connector.session;

import io.universepush.protocol.legacy.LegacyBodies;
import java.time.Duration;

/**
 * How a client's heartbeat interval becomes the server's idle timeout. Pure arithmetic, so the rules are tested
 * without sockets.
 *
 * <ul>
 *   <li>Version 3: the interval from CONNECT or PING ({@code heartbeat_interval_ms} / {@code interval_ms}), the
 *       default when 0, clamped to [min, max] (default [10 s, 10 min]). Idle timeout = interval x 1.5 + 10 s: one
 *       heartbeat may be late by half an interval plus network delay before the connection is dropped.
 *   <li>Versions 1/2, as universe_push: idle timeout = interval + 60 s; 120 s until the client states an interval.
 *       The interval is capped at the same max so no connection escapes idle detection.
 * </ul>
 */
public final class HeartbeatPolicy {
  static final long V3_GRACE_MS = 10_000;
  /** The interval a legacy connection has before it states one: universe_push's 120 s timeout minus its grace. */
  public static final long LEGACY_DEFAULT_INTERVAL_MS =
      LegacyBodies.DEFAULT_IDLE_TIMEOUT_MS - LegacyBodies.IDLE_GRACE_MS;

  private final long defaultMs;
  private final long minMs;
  private final long maxMs;

  public HeartbeatPolicy(Duration defaultInterval, Duration min, Duration max) {
    this.defaultMs = defaultInterval.toMillis();
    this.minMs = min.toMillis();
    this.maxMs = max.toMillis();
  }

  /** The interval the server accepts for a version-3 request (0 = "no preference"). */
  public long v3Interval(long requestedMs) {
    if (requestedMs <= 0) {
      return defaultMs;
    }
    return Math.max(minMs, Math.min(maxMs, requestedMs));
  }

  public long v3IdleTimeout(long intervalMs) {
    return intervalMs + intervalMs / 2 + V3_GRACE_MS;
  }

  /** The interval accepted for a legacy PING; -1 (not stated or not understood) keeps {@code currentMs}. */
  public long legacyInterval(long requestedMs, long currentMs) {
    if (requestedMs <= 0) {
      return currentMs;
    }
    return Math.min(maxMs, requestedMs);
  }

  public long legacyIdleTimeout(long intervalMs) {
    return intervalMs + LegacyBodies.IDLE_GRACE_MS;
  }
}
