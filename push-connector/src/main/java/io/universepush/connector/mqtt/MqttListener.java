package io.universepush.connector.mqtt;

import io.universepush.connector.limits.ConnectorLimits;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.system.ConnectorProperties;
import io.universepush.connector.tcp.TcpChannelInitializer;
import io.universepush.connector.tcp.TcpServer;
import io.universepush.connector.tls.TlsContextFactory;
import io.universepush.connector.tls.TlsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The MQTT 3.1.1 device listener, on the TCP server's event loops, plain and optionally behind TLS with the key of the
 * TLS listener (loaded when the application starts, so a bad key stops the connector before it registers).
 */
@Component
public class MqttListener {
  public static final String NAME = "mqtt";
  public static final String TLS_NAME = "mqtt-tls";
  /** Packet ids a connection remembers per push it may have in flight: redeliveries keep theirs. */
  private static final int PACKET_IDS_PER_IN_FLIGHT_PUSH = 4;

  private static final Logger log = LoggerFactory.getLogger(MqttListener.class);

  private final MqttProperties properties;
  private final TcpServer tcp;
  private final MqttChannelInitializer plainInitializer;
  private final MqttChannelInitializer tlsInitializer;

  public MqttListener(
      MqttProperties properties,
      ConnectorProperties connector,
      TlsProperties tls,
      ConnectorLimits limits,
      TcpServer tcp,
      TcpChannelInitializer plain,
      ConnectorMetrics metrics) {
    this.properties = properties;
    this.tcp = tcp;
    int packetIds = connector.maxInFlightPerSession() * PACKET_IDS_PER_IN_FLIGHT_PUSH;
    long handshakeTimeoutMs = tls.handshakeTimeout().toMillis();
    this.plainInitializer =
        properties.enabled()
            ? new MqttChannelInitializer(properties, null, handshakeTimeoutMs, limits, metrics, packetIds, plain)
            : null;
    this.tlsInitializer =
        properties.enabled() && properties.tls()
            ? new MqttChannelInitializer(
                properties, TlsContextFactory.create(tls), handshakeTimeoutMs, limits, metrics, packetIds, plain)
            : null;
  }

  /** Binds the MQTT port (after the plain TCP one) when enabled. Returns the bound port, 0 when disabled. */
  public int bind() {
    if (plainInitializer == null) {
      return 0;
    }
    int port = tcp.bindListener(NAME, properties.port(), plainInitializer);
    log.info("device MQTT 3.1.1 listener bound on port {}", port);
    return port;
  }

  /** Binds the MQTT-over-TLS port when enabled. Returns the bound port, 0 when there is none. */
  public int bindTls() {
    if (tlsInitializer == null) {
      return 0;
    }
    int port = tcp.bindListener(TLS_NAME, properties.tlsPort(), tlsInitializer);
    log.info("device MQTT 3.1.1 listener bound on port {} (TLS)", port);
    return port;
  }
}
