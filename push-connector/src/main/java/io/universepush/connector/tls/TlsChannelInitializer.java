package io.universepush.connector.tls;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.tcp.TcpChannelInitializer;

/**
 * The device pipeline behind TLS: {@link SslHandler}, {@link TlsHandshakeHandler}, then exactly the plain TCP
 * pipeline, added by {@link TcpChannelInitializer} itself (a channel initializer placed in a live pipeline runs at
 * once and removes itself), so the two listeners can never drift apart.
 */
final class TlsChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final SslContext sslContext;
  private final long handshakeTimeoutMs;
  private final TlsHandshakeHandler handshake;
  private final TcpChannelInitializer plain;

  TlsChannelInitializer(
      SslContext sslContext, long handshakeTimeoutMs, ConnectorMetrics metrics, TcpChannelInitializer plain) {
    this.sslContext = sslContext;
    this.handshakeTimeoutMs = handshakeTimeoutMs;
    this.handshake = new TlsHandshakeHandler(metrics);
    this.plain = plain;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    handshake.addTo(pipeline, sslContext, handshakeTimeoutMs);
    pipeline.addLast("device-pipeline", plain);
  }
}
