package io.universepush.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * An MQTT client that sends exactly what a test builds, malformed packets included: codec-mqtt's encoder and decoder
 * over a blocking socket (each in an {@link EmbeddedChannel}).
 */
final class RawMqttClient implements AutoCloseable {
  private static final int READ_TIMEOUT_MS = 10_000;

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
  private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder());

  RawMqttClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  static MqttMessage connectMessage(String clientId, String userName, String password, int keepAliveSeconds) {
    MqttMessageBuilders.ConnectBuilder connect =
        MqttMessageBuilders.connect()
            .protocolVersion(MqttVersion.MQTT_3_1_1)
            .clientId(clientId)
            .cleanSession(true)
            .keepAlive(keepAliveSeconds);
    if (userName != null) {
      connect.hasUser(true).username(userName);
    }
    if (password != null) {
      connect.hasPassword(true).password(password.getBytes(StandardCharsets.UTF_8));
    }
    return connect.build();
  }

  /** CONNECT and the CONNACK's return code. */
  MqttConnectReturnCode connect(String clientId, String userName, String password) throws IOException {
    send(connectMessage(clientId, userName, password, 60));
    MqttMessage answer = read();
    assertThat(answer).as("CONNACK").isInstanceOf(MqttConnAckMessage.class);
    return ((MqttConnAckMessage) answer).variableHeader().connectReturnCode();
  }

  void send(MqttMessage message) throws IOException {
    encoder.writeOutbound(message);
    ByteBuf encoded;
    while ((encoded = encoder.readOutbound()) != null) {
      try {
        sendBytes(ByteBufUtil.getBytes(encoded));
      } finally {
        encoded.release();
      }
    }
  }

  void sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void publish(String topic, MqttQoS qos, int packetId, String payload) throws IOException {
    send(
        MqttMessageBuilders.publish()
            .topicName(topic)
            .qos(qos)
            .messageId(packetId)
            .payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8))
            .build());
  }

  /** The next packet from the server; fails on timeout or end of stream. */
  MqttMessage read() throws IOException {
    MqttMessage message = next();
    assertThat(message).as("a packet before the server closed").isNotNull();
    return message;
  }

  /** The next packet of this type, skipping others. */
  MqttMessage readUntil(MqttMessageType type) throws IOException {
    while (true) {
      MqttMessage message = read();
      if (message.fixedHeader().messageType() == type) {
        return message;
      }
      ReferenceCountUtil.release(message);
    }
  }

  /** True once the server closed the connection (packets before the close are skipped). */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        MqttMessage message = next();
        if (message == null) {
          return true;
        }
        ReferenceCountUtil.release(message);
      }
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /** Null at end of stream. */
  private MqttMessage next() throws IOException {
    byte[] buffer = new byte[8192];
    while (true) {
      MqttMessage decoded = decoder.readInbound();
      if (decoded != null) {
        return decoded;
      }
      int read;
      try {
        read = in.read(buffer);
      } catch (java.net.SocketException reset) {
        return null;
      }
      if (read < 0) {
        return null;
      }
      decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, read));
    }
  }

  @Override
  public void close() throws IOException {
    encoder.finishAndReleaseAll();
    decoder.finishAndReleaseAll();
    socket.close();
  }
}
