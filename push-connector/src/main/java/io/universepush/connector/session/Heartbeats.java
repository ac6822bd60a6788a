package io.universepush.connector.session;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.universepush.connector.system.ConnectorProperties;
import io.universepush.protocol.legacy.LegacyBodies;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Applies a heartbeat interval to a session: records it and swaps the connection's reader-idle handler for one with
 * the new timeout ({@link IdleStateHandler}'s timeout is fixed at construction).
 */
@Component
public class Heartbeats {
  /** Name of the idle handler in every device pipeline. */
  public static final String IDLE_HANDLER = "idle";

  private final HeartbeatPolicy policy;

  public Heartbeats(ConnectorProperties properties) {
    this.policy =
        new HeartbeatPolicy(properties.heartbeatDefault(), properties.heartbeatMin(), properties.heartbeatMax());
  }

  public HeartbeatPolicy policy() {
    return policy;
  }

  /** The idle handler a new connection starts with, before it states an interval. */
  public static IdleStateHandler initialIdleHandler() {
    return idleHandler(LegacyBodies.DEFAULT_IDLE_TIMEOUT_MS);
  }

  /** Event loop. Version 3: the requested interval (0 = default), clamped. Returns the accepted interval. */
  public long applyV3(Session session, long requestedIntervalMs) {
    long interval = policy.v3Interval(requestedIntervalMs);
    apply(session, interval, policy.v3IdleTimeout(interval));
    return interval;
  }

  /** Event loop. Legacy: the interval of a PING (-1 keeps the current one). Returns the accepted interval. */
  public long applyLegacy(Session session, long requestedIntervalMs) {
    long current =
        session.heartbeatIntervalMs() > 0 ? session.heartbeatIntervalMs() : HeartbeatPolicy.LEGACY_DEFAULT_INTERVAL_MS;
    long interval = policy.legacyInterval(requestedIntervalMs, current);
    apply(session, interval, policy.legacyIdleTimeout(interval));
    return interval;
  }

  private void apply(Session session, long intervalMs, long idleTimeoutMs) {
    boolean changed = session.idleTimeoutMs() != idleTimeoutMs;
    session.heartbeat(intervalMs, idleTimeoutMs);
    ChannelPipeline pipeline = session.channel().pipeline();
    if (changed && pipeline.get(IDLE_HANDLER) != null) {
      pipeline.replace(IDLE_HANDLER, IDLE_HANDLER, idleHandler(idleTimeoutMs));
    }
  }

  private static IdleStateHandler idleHandler(long readerIdleMs) {
    return new IdleStateHandler(readerIdleMs, 0, 0, TimeUnit.MILLISECONDS);
  }
}
