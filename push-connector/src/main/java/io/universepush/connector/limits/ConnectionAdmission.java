package io.universepush.connector.limits;

import io.github.bucket4j.Bucket;
import io.netty.channel.Channel;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.tcp.Connections;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides whether a freshly accepted connection may stay: the node accepts at most {@code handshakes-per-second} new
 * connections per second and holds at most {@code max-connections}. A refused connection is closed at once, without
 * a DISCONNECT: its protocol version is not known before its first frame, and reading that frame is the work being
 * refused. Clients see a closed socket and reconnect with their back-off. Refusals are counted by reason and logged
 * at WARN at most every {@link #WARN_INTERVAL}.
 */
@Component
public class ConnectionAdmission {
  private static final Logger log = LoggerFactory.getLogger(ConnectionAdmission.class);
  static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

  /** Why a connection was refused; the metric tag. */
  public enum Refusal {
    MAX_CONNECTIONS,
    HANDSHAKE_RATE
  }

  private final Connections connections;
  private final ConnectorMetrics metrics;
  private final Bucket handshakes;
  private final AtomicLong nextWarnAtMs = new AtomicLong();
  private final AtomicLong refusedSinceWarn = new AtomicLong();

  public ConnectionAdmission(ConnectorLimits limits, Connections connections, ConnectorMetrics metrics) {
    this.connections = connections;
    this.metrics = metrics;
    int rate = limits.handshakesPerSecond();
    // Shared by all event loops: Bucket4j's default lock-free strategy. Once per connection, not per frame.
    this.handshakes =
        Bucket.builder().addLimit(limit -> limit.capacity(rate).refillGreedy(rate, Duration.ofSeconds(1))).build();
  }

  /** True when the connection is admitted (and counted); otherwise it has been closed. */
  public boolean admit(Channel channel) {
    Refusal refusal = null;
    if (!handshakes.tryConsume(1)) {
      refusal = Refusal.HANDSHAKE_RATE;
    } else if (!connections.tryOpen(channel)) {
      refusal = Refusal.MAX_CONNECTIONS;
    }
    if (refusal == null) {
      return true;
    }
    metrics.refusedConnection(refusal.name());
    warnSometimes(channel, refusal);
    channel.close();
    return false;
  }

  private void warnSometimes(Channel channel, Refusal refusal) {
    long refused = refusedSinceWarn.incrementAndGet();
    long now = System.currentTimeMillis();
    long next = nextWarnAtMs.get();
    if (now >= next && nextWarnAtMs.compareAndSet(next, now + WARN_INTERVAL.toMillis())) {
      refusedSinceWarn.addAndGet(-refused);
      log.warn(
          "refusing connections ({} since the last warning), latest {}: {} ({} open)",
          refused,
          channel.remoteAddress(),
          refusal,
          connections.count());
    }
  }
}
