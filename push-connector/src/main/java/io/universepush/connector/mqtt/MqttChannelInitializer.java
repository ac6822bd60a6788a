package io.universepush.connector.mqtt;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.universepush.connector.limits.ConnectorLimits;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.tcp.TcpChannelInitializer;
import io.universepush.connector.tls.TlsHandshakeHandler;

/**
 * The device pipeline behind MQTT: (TLS), codec-mqtt's decoder (bounded by max-message-size) and encoder, then the
 * plain TCP pipeline added by {@link TcpChannelInitializer} itself, with one adapter per direction: {@link
 * MqttInboundAdapter} in front of its frame decoder (which passes frames through), {@link MqttOutboundAdapter} in
 * place of its frame encoder; the two share the connection's {@link MqttConnection}. Admission, rate limits,
 * authentication, auth timeout, heartbeats and the session are the TCP listener's, unchanged.
 */
final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final MqttProperties properties;
  private final SslContext sslContext;
  private final long tlsHandshakeTimeoutMs;
  private final TlsHandshakeHandler tlsHandshake;
  private final ConnectorLimits limits;
  private final ConnectorMetrics metrics;
  private final int maxPacketIdsInFlight;
  private final TcpChannelInitializer plain;

  /** @param sslContext null for plain MQTT */
  MqttChannelInitializer(
      MqttProperties properties,
      SslContext sslContext,
      long tlsHandshakeTimeoutMs,
      ConnectorLimits limits,
      ConnectorMetrics metrics,
      int maxPacketIdsInFlight,
      TcpChannelInitializer plain) {
    this.properties = properties;
    this.sslContext = sslContext;
    this.tlsHandshakeTimeoutMs = tlsHandshakeTimeoutMs;
    this.tlsHandshake = new TlsHandshakeHandler(metrics);
    this.limits = limits;
    this.metrics = metrics;
    this.maxPacketIdsInFlight = maxPacketIdsInFlight;
    this.plain = plain;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    if (sslContext != null) {
      tlsHandshake.addTo(pipeline, sslContext, tlsHandshakeTimeoutMs);
    }
    MqttConnection connection = new MqttConnection(maxPacketIdsInFlight);
    pipeline.addLast(
        "mqtt-decoder", new MqttDecoder(properties.maxMessageBytes(), properties.maxClientIdLength()));
    pipeline.addLast("mqtt-encoder", MqttEncoder.INSTANCE);
    pipeline.addLast(
        "mqtt-inbound",
        new MqttInboundAdapter(connection, properties.maxClientIdLength(), limits, metrics, System::nanoTime));
    pipeline.addLast("device-pipeline", plain);
    // Absent when admission refused the connection (already closed).
    if (pipeline.get("frame-encoder") != null) {
      pipeline.replace(
          "frame-encoder", "mqtt-outbound", new MqttOutboundAdapter(connection, metrics, System::nanoTime));
    }
  }
}
