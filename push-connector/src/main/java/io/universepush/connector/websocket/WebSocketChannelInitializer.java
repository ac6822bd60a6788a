package io.universepush.connector.websocket;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.tcp.TcpChannelInitializer;
import io.universepush.connector.tls.TlsHandshakeHandler;

/**
 * The device pipeline behind WebSocket: (TLS), HTTP until the handshake on the configured path, WebSocket framing
 * (Netty answers ping and close), then the plain TCP pipeline added by {@link TcpChannelInitializer} itself, with one
 * adapter per direction: {@link WebSocketInboundAdapter} in front of its frame decoder, {@link
 * WebSocketOutboundAdapter} in place of its frame encoder. Admission, rate limits, authentication, heartbeats and the
 * session are the TCP listener's, unchanged.
 */
final class WebSocketChannelInitializer extends ChannelInitializer<SocketChannel> {
  /** The handshake request has no body; this only bounds what a client may make the server buffer. */
  private static final int MAX_HTTP_REQUEST_BYTES = 8 * 1024;
  private static final long HANDSHAKE_TIMEOUT_MS = 10_000;

  private final WebSocketProperties properties;
  private final SslContext sslContext;
  private final long tlsHandshakeTimeoutMs;
  private final TlsHandshakeHandler tlsHandshake;
  private final OriginCheckHandler originCheck;
  private final WebSocketServerProtocolConfig protocol;
  private final WebSocketOutboundAdapter outbound;
  private final ConnectorMetrics metrics;
  private final TcpChannelInitializer plain;

  /** @param sslContext null for plain {@code ws://} */
  WebSocketChannelInitializer(
      WebSocketProperties properties,
      SslContext sslContext,
      long tlsHandshakeTimeoutMs,
      ConnectorMetrics metrics,
      TcpChannelInitializer plain) {
    this.properties = properties;
    this.sslContext = sslContext;
    this.tlsHandshakeTimeoutMs = tlsHandshakeTimeoutMs;
    this.tlsHandshake = new TlsHandshakeHandler(metrics);
    this.originCheck =
        properties.allowedOrigins().isEmpty() ? null : new OriginCheckHandler(properties.allowedOrigins());
    this.protocol =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(properties.path())
            .checkStartsWith(false)
            .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS)
            .decoderConfig(
                WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(properties.maxFrameBytes())
                    .allowExtensions(false)
                    .build())
            .build();
    this.outbound = new WebSocketOutboundAdapter(metrics);
    this.metrics = metrics;
    this.plain = plain;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    if (sslContext != null) {
      tlsHandshake.addTo(pipeline, sslContext, tlsHandshakeTimeoutMs);
    }
    pipeline.addLast("http-codec", new HttpServerCodec());
    pipeline.addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES));
    if (originCheck != null) {
      pipeline.addLast("origin-check", originCheck);
    }
    pipeline.addLast("websocket-protocol", new WebSocketServerProtocolHandler(protocol));
    pipeline.addLast("websocket-aggregator", new WebSocketFrameAggregator(properties.maxFrameBytes()));
    pipeline.addLast("http-not-found", HttpNotFoundHandler.INSTANCE);
    pipeline.addLast("websocket-inbound", new WebSocketInboundAdapter(metrics));
    pipeline.addLast("device-pipeline", plain);
    // Absent when admission refused the connection (already closed).
    if (pipeline.get("frame-encoder") != null) {
      pipeline.replace("frame-encoder", "websocket-outbound", outbound);
    }
  }
}
