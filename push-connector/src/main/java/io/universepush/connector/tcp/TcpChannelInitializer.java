package io.universepush.connector.tcp;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.universepush.connector.connection.DeviceConnections;
import io.universepush.connector.connection.SessionHandler;
import io.universepush.connector.limits.ConnectionAdmission;
import io.universepush.connector.limits.ConnectorLimits;
import io.universepush.connector.limits.InboundRateLimitHandler;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.system.ConnectorProperties;
import io.universepush.connector.wire.ProtocolViolations;
import io.universepush.protocol.FrameDecoder;
import org.springframework.stereotype.Component;

/**
 * The device pipeline of an admitted connection ({@link ConnectionAdmission}), in order: framing
 * ({@link FrameDecoderHandler}, {@link FrameEncoderHandler}), the frame rate ({@link InboundRateLimitHandler}), then
 * the session ({@link SessionHandler}), which also keeps the auth and idle timeouts. WebSocket and MQTT put their
 * translating adapters in front of the same pipeline.
 */
@Component
public class TcpChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final ConnectionAdmission admission;
  private final ConnectorLimits limits;
  private final FrameDecoder decoder;
  private final FrameEncoderHandler encoder;
  private final DeviceConnections connections;
  private final ProtocolViolations violations;
  private final ConnectorMetrics metrics;

  public TcpChannelInitializer(
      ConnectorProperties properties,
      ConnectionAdmission admission,
      ConnectorLimits limits,
      DeviceConnections connections,
      ProtocolViolations violations,
      ConnectorMetrics metrics) {
    this.admission = admission;
    this.limits = limits;
    this.decoder = new FrameDecoder(properties.maxBodyBytes());
    this.encoder = new FrameEncoderHandler(metrics);
    this.connections = connections;
    this.violations = violations;
    this.metrics = metrics;
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
    pipeline.addLast("session", new SessionHandler(connections, violations));
  }
}
