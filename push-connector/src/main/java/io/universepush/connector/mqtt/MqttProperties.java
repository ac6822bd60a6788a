package io.universepush.connector.mqtt;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The MQTT 3.1.1 device listener, under {@code universe.push.connector.mqtt}: MQTT packets translated to the
 * version-3 frames of the TCP listener, on its session (docs/PROTOCOL.md, "MQTT").
 *
 * @param enabled opens the MQTT listener. Default true.
 * @param port plain MQTT port; 0 picks a free port (tests). Published as the node's {@code mqtt_port}. Default 1883.
 * @param tls opens a second MQTT port behind TLS, with the key of {@code universe.push.connector.tls}. Default false.
 * @param tlsPort the MQTT-over-TLS port; 0 picks a free port (tests). Default 8883.
 * @param maxMessageSize largest packet a client may send (the MQTT remaining length: variable header and payload);
 *     beyond it the connection is closed before the payload is buffered. Default 64KB, the TCP body limit.
 * @param maxClientIdLength longest client id (reg id) accepted; a longer one gets CONNACK 2. Default 64.
 */
@ConfigurationProperties("universe.push.connector.mqtt")
public record MqttProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("1883") int port,
    @DefaultValue("false") boolean tls,
    @DefaultValue("8883") int tlsPort,
    @DefaultValue("64KB") DataSize maxMessageSize,
    @DefaultValue("64") int maxClientIdLength) {

  public MqttProperties {
    require(port >= 0 && port <= 65535, "port must be 0..65535");
    require(tlsPort >= 0 && tlsPort <= 65535, "tls-port must be 0..65535");
    require(
        maxMessageSize.toBytes() > 0 && maxMessageSize.toBytes() <= 268_435_455,
        "max-message-size must be 1B..256MB (MQTT's largest remaining length)");
    require(maxClientIdLength > 0 && maxClientIdLength <= 65535, "max-client-id-length must be 1..65535");
  }

  public int maxMessageBytes() {
    return (int) maxMessageSize.toBytes();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("universe.push.connector.mqtt." + message);
    }
  }
}
