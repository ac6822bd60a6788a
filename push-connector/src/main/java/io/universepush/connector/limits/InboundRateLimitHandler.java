package io.universepush.connector.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.connection.DeviceConnection;
import io.universepush.connector.connection.DeviceConnections;
import io.universepush.connector.wire.Disconnects;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the frames one connection may send: each decoded frame takes a token from the connection's bucket
 * ({@code frame-burst} tokens, refilled at {@code frames-per-second}); PUB_ACKs take theirs from a bucket of their own
 * ({@code ack-burst}, {@code acks-per-second}), since their number follows what the server pushes. An empty bucket ends the connection with
 * DISCONNECT RATE_LIMITED; frames already decoded after that are dropped. Per connection: the bucket is only touched
 * on the channel's event loop, so it takes no lock.
 */
public final class InboundRateLimitHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(InboundRateLimitHandler.class);

  private final Bucket frames;
  private final Bucket acks;
  private final ConnectorLimits limits;
  private final ConnectorMetrics metrics;
  private boolean limited;

  public InboundRateLimitHandler(ConnectorLimits limits, ConnectorMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
    this.frames = bucket(limits.frameBurst(), limits.framesPerSecond());
    this.acks = bucket(limits.ackBurst(), limits.acksPerSecond());
  }

  private static Bucket bucket(int burst, int perSecond) {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
        .withSynchronizationStrategy(SynchronizationStrategy.NONE)
        .build();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (limited) {
      return;
    }
    boolean ack = ((Frame) msg).signal() == Signal.PUB_ACK;
    if ((ack ? acks : frames).tryConsume(1)) {
      ctx.fireChannelRead(msg);
      return;
    }
    limited = true;
    metrics.rateLimitedConnection();
    DeviceConnection connection = DeviceConnections.of(ctx.channel());
    // Before the handshake the frame's own version is all there is; after it, the session's is authoritative.
    ProtocolVersion version =
        connection != null && connection.version() != null ? connection.version() : ((Frame) msg).version();
    String reason =
        ack
            ? "more than " + limits.ackBurst() + " acks at once or " + limits.acksPerSecond() + " per second sustained"
            : "more than "
                + limits.frameBurst()
                + " frames at once or "
                + limits.framesPerSecond()
                + " per second sustained";
    // INFO: a misbehaving client is routine, and the counter tells the volume.
    log.info("closing {}: {}", ctx.channel().remoteAddress(), reason);
    Disconnects.close(ctx.channel(), version, DisconnectReason.RATE_LIMITED, reason);
  }
}
