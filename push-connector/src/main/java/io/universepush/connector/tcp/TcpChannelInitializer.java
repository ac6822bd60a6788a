package io.universepush.connector.tcp;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.universepush.connector.auth.Handshake;
import io.universepush.connector.delivery.DeliveryWriter;
import io.universepush.connector.delivery.PendingFlusher;
import io.universepush.connector.limits.ConnectionAdmission;
import io.universepush.connector.limits.ConnectorLimits;
import io.universepush.connector.limits.InboundRateLimitHandler;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.session.Heartbeats;
import io.universepush.connector.session.SessionBindings;
import io.universepush.connector.system.ConnectorProperties;
import io.universepush.connector.wire.ProtocolViolations;
import io.universepush.protocol.FrameDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The device pipeline of an admitted connection ({@link ConnectionAdmission}), in order: framing
 * ({@link FrameDecoderHandler}, {@link FrameEncoderHandler}), the frame rate ({@link InboundRateLimitHandler}), idle
 * detection ({@code IdleStateHandler}, re-armed with each client's heartbeat), authentication ({@link AuthHandler},
 * gone after the handshake), then the session ({@link SessionHandler}).
 */
@Component
public class TcpChannelInitializer extends ChannelInitializer<SocketChannel> {
  private static final Logger log = LoggerFactory.getLogger(TcpChannelInitializer.class);

  private final ConnectionAdmission admission;
  private final ConnectorLimits limits;
  private final FrameDecoder decoder;
  private final FrameEncoderHandler encoder;
  private final Handshake handshake;
  private final SessionBindings bindings;
  private final Heartbeats heartbeats;
  private final DeliveryWriter writer;
  private final PendingFlusher flusher;
  private final ProtocolViolations violations;
  private final ConnectorMetrics metrics;
  private final long authTimeoutMs;

  public TcpChannelInitializer(
      ConnectorProperties properties,
      ConnectionAdmission admission,
      ConnectorLimits limits,
      Handshake handshake,
      SessionBindings bindings,
      Heartbeats heartbeats,
      DeliveryWriter writer,
      PendingFlusher flusher,
      ProtocolViolations violations,
      ConnectorMetrics metrics) {
    this.admission = admission;
    this.limits = limits;
    this.decoder = new FrameDecoder(properties.maxBodyBytes());
    this.encoder = new FrameEncoderHandler(metrics);
    this.handshake = handshake;
    this.bindings = bindings;
    this.heartbeats = heartbeats;
    this.writer = writer;
    this.flusher = flusher;
    this.violations = violations;
    this.metrics = metrics;
    this.authTimeoutMs = properties.authTimeout().toMillis();
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    if (!admission.admit(channel)) {
      return;
    }
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("frame-decoder", new FrameDecoderHandler(decoder, violations, metrics));
    pipeline.addLast("inbound-rate-limit", new InboundRateLimitHandler(limits, metrics));
    pipeline.addLast("frame-encoder", encoder);
    pipeline.addLast(Heartbeats.IDLE_HANDLER, Heartbeats.initialIdleHandler());
    pipeline.addLast("auth", new AuthHandler(handshake, violations, metrics, authTimeoutMs));
    pipeline.addLast(
        "session", new SessionHandler(handshake, bindings, heartbeats, writer, flusher, violations, metrics));
  }
}
