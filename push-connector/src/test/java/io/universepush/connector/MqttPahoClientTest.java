package io.universepush.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.node.ZooKeeperNodeDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Devices over MQTT 3.1.1 with Eclipse Paho, against the real connector: pushes, acks, redelivery, catch-up. */
@ExtendWith(ConnectorCluster.Extension.class)
class MqttPahoClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static ConnectorCluster cluster;
  private static String appId;

  @BeforeAll
  static void setUp(ConnectorCluster shared) {
    cluster = shared;
    appId = cluster.newApp();
  }

  @Test
  void aDeviceReceivesAPushAsQos1JsonOnItsTopicAndItsPubackSettlesIt() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (PahoDevice client = PahoDevice.connect("tcp://127.0.0.1:" + cluster.mqttPort(), appId, device, false)) {
      awaitRoute(regId);
      StoredMessage message = cluster.storePending(appId, regId, "{\"text\":\"hello over MQTT\"}");
      assertWritten(cluster.deliver(ConnectorCluster.delivery(message, regId)));

      Received push = client.next();
      assertThat(push.topic()).isEqualTo("push/" + regId);
      assertThat(push.message().getQos()).isEqualTo(1);
      assertThat(push.message().isDuplicate()).isFalse();
      JsonObject json = push.json();
      assertThat(json.get("msg_id").getAsString()).isEqualTo(message.msgId());
      assertThat(json.get("alert").getAsString()).isEqualTo("alert");
      assertThat(json.get("title").getAsString()).isEqualTo("title");
      assertThat(json.getAsJsonObject("message").get("text").getAsString()).isEqualTo("hello over MQTT");
      assertThat(json.getAsJsonObject("extras").get("k").getAsString()).isEqualTo("v");
      assertThat(json.has("fanout_id")).isFalse();

      // Paho acknowledged it (PUBACK) when the callback returned.
      assertSettled(regId, message);
      // Settled: never written again, though the redelivery timeout is 300 ms.
      await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> client.received.isEmpty());
    }
  }

  @Test
  void anUnackedPushIsRedeliveredWithDupAndSettledByTheLaterPuback() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (PahoDevice client = PahoDevice.connect("tcp://127.0.0.1:" + cluster.mqttPort(), appId, device, true)) {
      awaitRoute(regId);
      StoredMessage message = cluster.storePending(appId, regId, "{\"n\":1}");
      assertWritten(cluster.deliver(ConnectorCluster.delivery(message, regId)));

      Received first = client.next();
      assertThat(first.json().get("msg_id").getAsString()).isEqualTo(message.msgId());
      assertThat(first.message().isDuplicate()).isFalse();
      Received again = client.next();
      assertThat(again.json().get("msg_id").getAsString()).isEqualTo(message.msgId());
      assertThat(again.message().isDuplicate()).isTrue();
      assertThat(again.message().getId()).as("the same packet id").isEqualTo(first.message().getId());
      assertThat(cluster.stores().messages().pending(regId, 10)).isNotEmpty();

      client.client.messageArrivedComplete(again.message().getId(), 1);
      assertSettled(regId, message);
    }
  }

  @Test
  void aPushSentWhileOfflineArrivesOnConnect() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    StoredMessage message = cluster.storePending(appId, regId, "{\"offline\":true}");
    assertThat(cluster.deliver(ConnectorCluster.delivery(message, regId)).getResults())
        .singleElement()
        .satisfies(r -> assertThat(r.getOutcome()).isNotEqualTo(DeliveryOutcome.WRITTEN));

    try (PahoDevice client = PahoDevice.connect("tcp://127.0.0.1:" + cluster.mqttPort(), appId, device, false)) {
      Received push = client.next();
      assertThat(push.json().get("msg_id").getAsString()).isEqualTo(message.msgId());
      assertThat(push.json().getAsJsonObject("message").get("offline").getAsBoolean()).isTrue();
      assertSettled(regId, message);
    }
  }

  @Test
  void aFanoutPushArrivesWithItsOffsetAndAReconnectContinuesAfterWhatWasAcked() throws Exception {
    String fanoutApp = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(fanoutApp, "android", Set.of("sports"));
    String regId = device.device().regId();
    FanoutEntry entry;
    try (PahoDevice client =
        PahoDevice.connect("tcp://127.0.0.1:" + cluster.mqttPort(), fanoutApp, device, false)) {
      awaitRoute(regId);
      entry = publishFanout(fanoutApp, Set.of("sports"), "{\"goal\":1}");

      Received push = client.next();
      assertThat(push.topic()).isEqualTo("push/" + regId);
      assertThat(push.json().get("msg_id").getAsString()).isEqualTo(entry.msgId());
      assertThat(push.json().get("fanout_offset").getAsLong()).isEqualTo(entry.offset());
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(cluster.stores().stats().counters(entry.msgId())).containsEntry(MessageStats.DELIVERED, 1L));
    }
    await().atMost(WAIT).until(() -> cluster.stores().routes().find(regId).isEmpty());

    // MQTT keeps no position: the connector kept it for the device, so the acked entry is not sent again.
    FanoutEntry whileAway = publishFanout(fanoutApp, Set.of(), "{\"goal\":2}");
    try (PahoDevice client =
        PahoDevice.connect("tcp://127.0.0.1:" + cluster.mqttPort(), fanoutApp, device, false)) {
      assertThat(client.next().json().get("msg_id").getAsString()).isEqualTo(whileAway.msgId());
    }
  }

  private static FanoutEntry publishFanout(String appId, Set<String> tags, String payload) {
    StoredMessage message = ConnectorCluster.message(appId, payload, Duration.ofMinutes(1));
    cluster.stores().messages().saveWithPending(message, List.of());
    FanoutEntry entry =
        cluster.stores().fanoutLog().append(FanoutEntry.of(appId, message.msgId(), tags, Set.of(), message.expiresAtMs()));
    cluster.stores().fanoutBus().publish(new FanoutEvent(entry, message));
    return entry;
  }

  @Test
  void anUpstreamAckSettlesAPushAndAnUpstreamLogoutEndsTheSession() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (PahoDevice client = PahoDevice.connect("tcp://127.0.0.1:" + cluster.mqttPort(), appId, device, true)) {
      awaitRoute(regId);
      StoredMessage message = cluster.storePending(appId, regId, "{\"n\":2}");
      assertWritten(cluster.deliver(ConnectorCluster.delivery(message, regId)));
      assertThat(client.next().json().get("msg_id").getAsString()).isEqualTo(message.msgId());

      client.client.publish(
          "push/" + regId + "/up",
          ("{\"kind\":1,\"content\":{\"msg_id\":\"" + message.msgId() + "\"}}").getBytes(StandardCharsets.UTF_8),
          1,
          false);
      assertSettled(regId, message);

      client.client.publish(
          "push/" + regId + "/up",
          ("{\"kind\":2,\"content\":{\"app_id\":\"" + appId + "\",\"reg_id\":\"" + regId + "\"}}")
              .getBytes(StandardCharsets.UTF_8),
          0,
          false);
      await().atMost(WAIT).until(() -> !client.client.isConnected());
      await().atMost(WAIT).until(() -> cluster.stores().routes().find(regId).isEmpty());
    }
  }

  @Test
  void theTlsPortServesTheSameProtocol() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(cluster.certificates().loadTrustStore());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    try (PahoDevice client =
        PahoDevice.connect("ssl://127.0.0.1:" + cluster.mqttTlsPort(), appId, device, false, tls)) {
      awaitRoute(regId);
      StoredMessage message = cluster.storePending(appId, regId, "{\"secure\":true}");
      assertWritten(cluster.deliver(ConnectorCluster.delivery(message, regId)));
      assertThat(client.next().json().get("msg_id").getAsString()).isEqualTo(message.msgId());
      assertSettled(regId, message);
    }
  }

  @Test
  void aWrongPasswordIsRefusedWithBadCredentials() {
    DeviceRegistration device = cluster.newDevice(appId);
    MqttConnectOptions options = PahoDevice.options(appId, "not-the-token");
    try (MqttClient client =
        new MqttClient(
            "tcp://127.0.0.1:" + cluster.mqttPort(), device.device().regId(), new MemoryPersistence())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.connect(options))
          .isInstanceOf(MqttException.class)
          .satisfies(e -> assertThat(((MqttException) e).getReasonCode())
              .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
    } catch (MqttException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theNodeDirectoryPublishesTheMqttPort() {
    assertThat(cluster.mqttPort()).isPositive().isNotEqualTo(cluster.tcpPort()).isNotEqualTo(cluster.wsPort());
    assertThat(cluster.node().mqttPort()).isEqualTo(cluster.mqttPort());
    assertThat(cluster.node().mqttTlsPort()).isEqualTo(cluster.mqttTlsPort()).isPositive();
    try (ZooKeeperNodeDirectory directory = ZooKeeperNodeDirectory.connect(cluster.zookeeperAddress())) {
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(directory.find(cluster.node().nodeId()))
              .hasValueSatisfying(node -> assertThat(node.mqttPort()).isEqualTo(cluster.mqttPort())));
    }
  }

  static void awaitRoute(String regId) {
    await().atMost(WAIT).until(() -> cluster.stores().routes().find(regId).isPresent());
  }

  static void assertWritten(DeliveryReport report) {
    assertThat(report.getResults())
        .singleElement()
        .satisfies(r -> assertThat(r.getOutcome()).isEqualTo(DeliveryOutcome.WRITTEN));
  }

  static void assertSettled(String regId, StoredMessage message) {
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(cluster.stores().messages().pending(regId, 10)).isEmpty();
      assertThat(cluster.stores().stats().counters(message.msgId())).containsEntry(MessageStats.DELIVERED, 1L);
    });
  }

  record Received(String topic, MqttMessage message) {
    JsonObject json() {
      return JsonParser.parseString(new String(message.getPayload(), StandardCharsets.UTF_8)).getAsJsonObject();
    }
  }

  /** A Paho client with a clean session, queueing what arrives (subscribed or not). */
  static final class PahoDevice implements MqttCallback, AutoCloseable {
    final MqttClient client;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private PahoDevice(MqttClient client) {
      this.client = client;
    }

    static PahoDevice connect(String uri, String appId, DeviceRegistration device, boolean manualAcks)
        throws MqttException {
      return connect(uri, appId, device, manualAcks, null);
    }

    static PahoDevice connect(
        String uri, String appId, DeviceRegistration device, boolean manualAcks, SSLContext tls)
        throws MqttException {
      MqttClient client = new MqttClient(uri, device.device().regId(), new MemoryPersistence());
      PahoDevice pahoDevice = new PahoDevice(client);
      client.setCallback(pahoDevice);
      client.setManualAcks(manualAcks);
      MqttConnectOptions options = options(appId, device.token());
      if (tls != null) {
        options.setSocketFactory(tls.getSocketFactory());
      }
      client.connect(options);
      return pahoDevice;
    }

    static MqttConnectOptions options(String appId, String token) {
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      options.setUserName(appId);
      options.setPassword(token.toCharArray());
      options.setCleanSession(true);
      options.setAutomaticReconnect(false);
      options.setConnectionTimeout(10);
      options.setKeepAliveInterval(30);
      return options;
    }

    Received next() throws InterruptedException {
      Received next = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(next).as("a PUBLISH within " + WAIT).isNotNull();
      return next;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      received.add(new Received(topic, message));
    }

    @Override
    public void connectionLost(Throwable cause) {}

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}

    @Override
    public void close() throws MqttException {
      if (client.isConnected()) {
        client.disconnectForcibly(1000, 1000);
      }
      client.close(true);
    }
  }
}
