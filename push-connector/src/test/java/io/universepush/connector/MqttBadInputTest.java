package io.universepush.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.universepush.connector.MqttPahoClientTest.PahoDevice;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.message.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the MQTT listener refuses: each case gets its CONNACK return code or a closed connection, while another
 * device connected to the same node keeps receiving pushes.
 */
@ExtendWith(ConnectorCluster.Extension.class)
class MqttBadInputTest {
  private static ConnectorCluster cluster;
  private static String appId;
  private PahoDevice healthy;
  private String healthyRegId;
  private DeviceRegistration device;

  @BeforeAll
  static void setUp(ConnectorCluster shared) {
    cluster = shared;
    appId = cluster.newApp();
  }

  @BeforeEach
  void connectAHealthyDevice() throws Exception {
    DeviceRegistration registration = cluster.newDevice(appId);
    healthyRegId = registration.device().regId();
    healthy = PahoDevice.connect("tcp://127.0.0.1:" + cluster.mqttPort(), appId, registration, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.stores().routes().find(healthyRegId).isPresent());
    device = cluster.newDevice(appId);
  }

  @AfterEach
  void healthyDeviceStillReceives() throws Exception {
    StoredMessage message = cluster.storePending(appId, healthyRegId, "{\"still\":\"here\"}");
    assertThat(cluster.deliver(ConnectorCluster.delivery(message, healthyRegId)).getResults())
        .singleElement()
        .satisfies(r -> assertThat(r.getOutcome()).isEqualTo(DeliveryOutcome.WRITTEN));
    assertThat(healthy.next().json().get("msg_id").getAsString()).isEqualTo(message.msgId());
    healthy.close();
  }

  @Test
  void aWrongPasswordGetsReturnCode4AndIsClosed() throws Exception {
    try (RawMqttClient client = new RawMqttClient(cluster.mqttPort())) {
      assertThat(client.connect(regId(), appId, "wrong-token"))
          .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void anUnknownAppGetsReturnCode5() throws Exception {
    try (RawMqttClient client = new RawMqttClient(cluster.mqttPort())) {
      assertThat(client.connect(regId(), "no-such-app", device.token()))
          .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void missingCredentialsGetReturnCode4() throws Exception {
    try (RawMqttClient client = new RawMqttClient(cluster.mqttPort())) {
      assertThat(client.connect(regId(), appId, null))
          .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
      assertThat(client.closedByServer()).isTrue();
    }
    try (RawMqttClient client = new RawMqttClient(cluster.mqttPort())) {
      assertThat(client.connect(regId(), null, null))
          .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void anEmptyOrOverlongClientIdGetsReturnCode2() throws Exception {
    try (RawMqttClient client = new RawMqttClient(cluster.mqttPort())) {
      assertThat(client.connect("", appId, device.token()))
          .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
      assertThat(client.closedByServer()).isTrue();
    }
    try (RawMqttClient client = new RawMqttClient(cluster.mqttPort())) {
      assertThat(client.connect("x".repeat(65), appId, device.token()))
          .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void anotherProtocolLevelGetsReturnCode1() throws Exception {
    try (RawMqttClient client = new RawMqttClient(cluster.mqttPort())) {
      client.send(
          MqttMessageBuilders.connect()
              .protocolVersion(MqttVersion.MQTT_3_1)
              .clientId(regId())
              .hasUser(true)
              .username(appId)
              .hasPassword(true)
              .password(device.token().getBytes(StandardCharsets.UTF_8))
              .build());
      assertThat(((MqttConnAckMessage) client.read()).variableHeader().connectReturnCode())
          .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
      assertThat(client.closedByServer()).isTrue();
    }
    try (RawMqttClient client = new RawMqttClient(cluster.mqttPort())) {
      // CONNECT of protocol name "MQTT", level 9: codec-mqtt refuses to decode it.
      client.sendBytes(new byte[] {0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x09, 0x02, 0x00, 0x3c, 0x00, 0x00});
      assertThat(((MqttConnAckMessage) client.read()).variableHeader().connectReturnCode())
          .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aQos2PublishClosesTheConnection() throws Exception {
    try (RawMqttClient client = connected()) {
      client.publish(ownTopic() + "/up", MqttQoS.EXACTLY_ONCE, 1, "{\"kind\":1,\"content\":{\"msg_id\":\"m\"}}");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aPublishToAnotherDevicesTopicClosesTheConnection() throws Exception {
    try (RawMqttClient client = connected()) {
      client.publish("push/" + healthyRegId + "/up", MqttQoS.AT_LEAST_ONCE, 1, "{\"kind\":2,\"content\":{}}");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aPublishWithAWildcardTopicClosesTheConnection() throws Exception {
    try (RawMqttClient client = connected()) {
      client.publish("push/+/up", MqttQoS.AT_MOST_ONCE, 0, "{\"kind\":2,\"content\":{}}");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aMalformedUpstreamPayloadClosesTheConnection() throws Exception {
    try (RawMqttClient client = connected()) {
      client.publish(ownTopic() + "/up", MqttQoS.AT_LEAST_ONCE, 1, "{\"kind\":7}");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void garbageBytesCloseTheConnection() throws Exception {
    try (RawMqttClient client = new RawMqttClient(cluster.mqttPort())) {
      client.sendBytes(new byte[] {(byte) 0xF8, 0x03, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
      assertThat(client.closedByServer()).isTrue();
    }
    try (RawMqttClient client = connected()) {
      client.sendBytes("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aSecondConnectClosesTheConnection() throws Exception {
    try (RawMqttClient client = connected()) {
      client.send(RawMqttClient.connectMessage(regId(), appId, device.token(), 60));
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aPacketOverTheSizeLimitClosesTheConnection() throws Exception {
    try (RawMqttClient client = connected()) {
      // PUBLISH QoS 0 declaring 1 MB: refused after the topic, before the payload is buffered.
      client.sendBytes(new byte[] {0x30, (byte) 0x80, (byte) 0x80, 0x40, 0x00, 0x01, 'x'});
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void subscribeGrantsQos1OnlyForTheDevicesOwnTopicAndUnsubscribeIsAcknowledged() throws Exception {
    try (RawMqttClient client = connected()) {
      client.send(
          MqttMessageBuilders.subscribe()
              .messageId(7)
              .addSubscription(MqttQoS.AT_LEAST_ONCE, ownTopic())
              .addSubscription(MqttQoS.AT_LEAST_ONCE, "push/" + healthyRegId)
              .addSubscription(MqttQoS.AT_MOST_ONCE, "push/#")
              .build());
      MqttSubAckMessage subAck = (MqttSubAckMessage) client.readUntil(MqttMessageType.SUBACK);
      assertThat(subAck.variableHeader().messageId()).isEqualTo(7);
      assertThat(subAck.payload().grantedQoSLevels()).containsExactly(1, 0x80, 0x80);

      client.send(MqttMessageBuilders.unsubscribe().messageId(8).addTopicFilter(ownTopic()).build());
      MqttUnsubAckMessage unsubAck = (MqttUnsubAckMessage) client.readUntil(MqttMessageType.UNSUBACK);
      assertThat(unsubAck.variableHeader().messageId()).isEqualTo(8);

      client.send(new MqttMessage(header(MqttMessageType.PINGREQ)));
      assertThat(client.readUntil(MqttMessageType.PINGRESP)).as("still open").isNotNull();
    }
  }

  private static MqttFixedHeader header(MqttMessageType type) {
    return new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0);
  }

  /** A raw client connected as {@link #device}. */
  private RawMqttClient connected() throws Exception {
    RawMqttClient client = new RawMqttClient(cluster.mqttPort());
    assertThat(client.connect(regId(), appId, device.token())).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    return client;
  }

  private String regId() {
    return device.device().regId();
  }

  private String ownTopic() {
    return "push/" + regId();
  }
}
