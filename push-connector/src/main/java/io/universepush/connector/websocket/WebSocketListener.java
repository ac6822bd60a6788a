package io.universepush.connector.websocket;

import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.tcp.TcpChannelInitializer;
import io.universepush.connector.tcp.TcpServer;
import io.universepush.connector.tls.TlsContextFactory;
import io.universepush.connector.tls.TlsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The WebSocket device listener, on the TCP server's event loops, optionally behind TLS with the key of the TLS
 * listener (loaded when the application starts, so a bad key stops the connector before it registers).
 */
@Component
public class WebSocketListener {
  public static final String NAME = "websocket";
  private static final Logger log = LoggerFactory.getLogger(WebSocketListener.class);

  private final WebSocketProperties properties;
  private final TcpServer tcp;
  private final WebSocketChannelInitializer initializer;

  public WebSocketListener(
      WebSocketProperties properties,
      TlsProperties tls,
      TcpServer tcp,
      TcpChannelInitializer plain,
      ConnectorMetrics metrics) {
    this.properties = properties;
    this.tcp = tcp;
    this.initializer =
        properties.enabled()
            ? new WebSocketChannelInitializer(
                properties,
                properties.tls() ? TlsContextFactory.create(tls) : null,
                tls.handshakeTimeout().toMillis(),
                metrics,
                plain)
            : null;
  }

  /** Binds the WebSocket port (after the plain one) when enabled. Returns the bound port, 0 when disabled. */
  public int bind() {
    if (initializer == null) {
      return 0;
    }
    int port = tcp.bindListener(NAME, properties.port(), initializer);
    log.info(
        "device WebSocket listener bound on port {}, path {}{}",
        port,
        properties.path(),
        properties.tls() ? " (TLS)" : "");
    return port;
  }
}
