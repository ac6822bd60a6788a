package io.universepush.connector.tls;

import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.tcp.TcpChannelInitializer;
import io.universepush.connector.tcp.TcpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The optional second device listener, TLS in front of the same pipeline, on the TCP server's event loops. Its key is
 * loaded when the application starts, so a bad TLS setting stops the connector before it registers anywhere.
 */
@Component
public class TlsListener {
  private static final Logger log = LoggerFactory.getLogger(TlsListener.class);

  private final TlsProperties properties;
  private final TcpServer tcp;
  private final TlsChannelInitializer initializer;

  public TlsListener(
      TlsProperties properties, TcpServer tcp, TcpChannelInitializer plain, ConnectorMetrics metrics) {
    this.properties = properties;
    this.tcp = tcp;
    this.initializer =
        properties.enabled()
            ? new TlsChannelInitializer(
                TlsContextFactory.create(properties), properties.handshakeTimeout().toMillis(), metrics, plain)
            : null;
  }

  /** Binds the TLS port (after the plain one) when enabled. Returns the bound port, 0 when TLS is off. */
  public int bind() {
    if (initializer == null) {
      return 0;
    }
    int port = tcp.bindListener(TcpServer.TLS_LISTENER, properties.port(), initializer);
    log.info("device TLS listener bound on port {} ({})", port, String.join(", ", properties.protocols()));
    return port;
  }

  public boolean enabled() {
    return initializer != null;
  }
}
