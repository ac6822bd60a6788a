package io.universepush.connector;

import static io.universepush.connector.TestClient.binding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.connector.node.LocalNode;
import io.universepush.connector.node.NodeAddress;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Pong;
import io.universepush.protocol.proto.Push;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.rpc.connector.NodeStats;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.message.MessageIds;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.route.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Version-3 devices against the running connector: handshake, delivery, acks, routes, takeover, heartbeats. */
@ExtendWith(ConnectorCluster.Extension.class)
class VersionThreeClientTest {
  private static ConnectorCluster cluster;
  private static String appId;

  @BeforeAll
  static void setUp(ConnectorCluster shared) {
    cluster = shared;
    appId = cluster.newApp();
  }

  @Test
  void deliveryReachesTheDeviceAndItsAckSettlesThePendingEntry() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      ConnectAck ack = client.connectAccepted(binding(appId, regId, device.token()));
      assertThat(ack.getNodeId()).isEqualTo(cluster.node().nodeId());
      assertThat(ack.getHeartbeatIntervalMs()).isEqualTo(60_000);
      assertThat(ack.getBindingsList())
          .singleElement()
          .satisfies(b -> assertThat(b.getResult()).isEqualTo(ConnectResult.ACCEPTED.code()));
      awaitRoute(regId);

      StoredMessage message = cluster.storePending(appId, regId, "{\"text\":\"hello, device\"}");
      DeliveryReport report = cluster.deliver(ConnectorCluster.delivery(message, regId));
      assertThat(report.getNodeId()).isEqualTo(cluster.node().nodeId());
      assertThat(report.getResults()).singleElement().satisfies(r -> {
        assertThat(r.getMsgId()).isEqualTo(message.msgId());
        assertThat(r.getOutcome()).isEqualTo(DeliveryOutcome.WRITTEN);
      });

      Frame frame = client.readUntil(Signal.PUSH);
      Push push = Push.parseFrom(frame.body());
      assertThat(push.getMsgId()).isEqualTo(message.msgId());
      assertThat(push.getAppId()).isEqualTo(appId);
      assertThat(push.getRegId()).isEqualTo(regId);
      assertThat(push.getPayload().toByteArray()).isEqualTo(message.payload());
      assertThat(push.getTitle()).isEqualTo("title");
      assertThat(push.getAlert()).isEqualTo("alert");
      assertThat(push.getExtrasMap()).containsEntry("k", "v");
      assertThat(push.getExpiresAtMs()).isEqualTo(message.expiresAtMs());
      assertThat(push.getAttempt()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(cluster.stores().stats().counters(message.msgId())).containsEntry(MessageStats.SENT, 1L));

      client.ack(List.of(message.msgId()));

      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(cluster.stores().messages().pending(regId, 10)).isEmpty();
        assertThat(cluster.stores().stats().counters(message.msgId())).containsEntry(MessageStats.DELIVERED, 1L);
      });
      NodeStats stats = cluster.aimedAt(cluster.node(), service -> service.stats());
      assertThat(stats.getDeliveredTotal()).isPositive();
      assertThat(stats.getConnections()).isPositive();
      assertThat(stats.getBindings()).isPositive();
    }
  }

  @Test
  void pendingMessagesStoredWhileOfflineAreFlushedInOrderOnConnect() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    StoredMessage first = cluster.storePending(appId, regId, "{\"n\":1}");
    StoredMessage second = cluster.storePending(appId, regId, "{\"n\":2}");

    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));

      Push one = Push.parseFrom(client.readUntil(Signal.PUSH).body());
      Push two = Push.parseFrom(client.readUntil(Signal.PUSH).body());
      assertThat(List.of(one.getMsgId(), two.getMsgId())).containsExactly(first.msgId(), second.msgId());
      assertThat(two.getPayload().toStringUtf8()).isEqualTo("{\"n\":2}");

      client.ack(List.of(first.msgId(), second.msgId()));
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(cluster.stores().messages().pending(regId, 10)).isEmpty());
    }
  }

  @Test
  void wrongTokenIsAnsweredWithBadCredentialsAndTheConnectionClosed() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      ConnectAck ack = client.connect(7, binding(appId, device.device().regId(), device.token() + "x"));

      assertThat(ack.getResult()).isEqualTo(ConnectResult.BAD_CREDENTIALS.code());
      assertThat(ack.getBindingsList().get(0).getResult()).isEqualTo(ConnectResult.BAD_CREDENTIALS.code());
      assertThat(client.awaitClosed()).isTrue();
    }
    assertThat(cluster.stores().routes().find(device.device().regId())).isEmpty();
  }

  @Test
  void unknownAppIsNotAuthorized() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      ConnectAck ack = client.connect(1, binding("no-such-app", device.device().regId(), device.token()));

      assertThat(ack.getResult()).isEqualTo(ConnectResult.NOT_AUTHORIZED.code());
      assertThat(client.awaitClosed()).isTrue();
    }
  }

  @Test
  void tooManyBindingsAreRejectedAsAWhole() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    Binding[] bindings = new Binding[17];
    Arrays.fill(bindings, binding(appId, device.device().regId(), device.token()));
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      ConnectAck ack = client.connect(1, bindings);

      assertThat(ack.getResult()).isEqualTo(ConnectResult.IDENTIFIER_REJECTED.code());
      assertThat(ack.getReason()).contains("16");
      assertThat(client.awaitClosed()).isTrue();
    }
  }

  @Test
  void oneGoodBindingOutOfTwoIsEnoughAndOnlyItIsBound() throws Exception {
    DeviceRegistration good = cluster.newDevice(appId);
    DeviceRegistration bad = cluster.newDevice(appId);
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      ConnectAck ack =
          client.connectAccepted(
              binding(appId, bad.device().regId(), "wrong"), binding(appId, good.device().regId(), good.token()));

      assertThat(ack.getBindingsList())
          .extracting(b -> b.getResult())
          .containsExactly(ConnectResult.BAD_CREDENTIALS.code(), ConnectResult.ACCEPTED.code());
      awaitRoute(good.device().regId());
      assertThat(cluster.stores().routes().find(bad.device().regId())).isEmpty();
    }
  }

  @Test
  void routeIsWrittenOnConnectAndRemovedOnClose() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    NodeAddress node = cluster.node();
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));

      Route route = awaitRoute(regId);
      assertThat(route.appId()).isEqualTo(appId);
      assertThat(route.dubboHost()).isEqualTo(node.dubboHost());
      assertThat(route.dubboPort()).isEqualTo(node.dubboPort());
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> cluster.stores().routes().find(regId).isEmpty());
    assertThat(cluster.deliver(delivery(regId)).getResults().get(0).getOutcome())
        .isEqualTo(DeliveryOutcome.NOT_CONNECTED);
  }

  @Test
  void aSecondConnectionForTheSameDeviceTakesOver() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (TestClient first = new TestClient(cluster.tcpPort());
        TestClient second = new TestClient(cluster.tcpPort())) {
      first.connectAccepted(binding(appId, regId, device.token()));
      awaitRoute(regId);
      second.connectAccepted(binding(appId, regId, device.token()));

      Frame disconnect = first.readUntil(Signal.DISCONNECT);
      assertThat(disconnect.subSignal()).isEqualTo(DisconnectReason.SESSION_TAKEN_OVER.code());
      assertThat(Disconnect.parseFrom(disconnect.body()).getReasonCode())
          .isEqualTo(DisconnectReason.SESSION_TAKEN_OVER.code());
      assertThat(first.awaitClosed()).isTrue();

      StoredMessage message = cluster.storePending(appId, regId, "{\"to\":\"second\"}");
      assertThat(cluster.deliver(ConnectorCluster.delivery(message, regId)).getResults().get(0).getOutcome())
          .isEqualTo(DeliveryOutcome.WRITTEN);
      assertThat(Push.parseFrom(second.readUntil(Signal.PUSH).body()).getMsgId()).isEqualTo(message.msgId());
      assertThat(cluster.stores().routes().find(regId)).hasValueSatisfying(
          route -> assertThat(route.nodeId()).isEqualTo(cluster.node().nodeId()));
    }
  }

  @Test
  void aConnectionOnAnotherNodeTakesOverThroughDubbo() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    var secondNode = cluster.secondConnector();
    NodeAddress second = secondNode.getBean(LocalNode.class).address();
    try (TestClient onFirst = new TestClient(cluster.tcpPort());
        TestClient onSecond = new TestClient(second.tcpPort())) {
      onFirst.connectAccepted(binding(appId, regId, device.token()));
      awaitRoute(regId);

      onSecond.connectAccepted(binding(appId, regId, device.token()));

      Frame disconnect = onFirst.readUntil(Signal.DISCONNECT);
      assertThat(disconnect.subSignal()).isEqualTo(DisconnectReason.SESSION_TAKEN_OVER.code());
      assertThat(onFirst.awaitClosed()).isTrue();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(cluster.stores().routes().find(regId)).hasValueSatisfying(
              route -> assertThat(route.nodeId()).isEqualTo(second.nodeId())));
      assertThat(cluster.deliver(delivery(regId)).getResults().get(0).getOutcome())
          .isEqualTo(DeliveryOutcome.NOT_CONNECTED);
    }
  }

  @Test
  void pingIsAnsweredWithTheAcceptedInterval() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, device.device().regId(), device.token()));

      client.ping(42, 30_000);
      Frame pong = client.readUntil(Signal.PING);
      assertThat(pong.messageId()).isEqualTo(42);
      assertThat(pong.subSignal()).isEqualTo(1);
      assertThat(Pong.parseFrom(pong.body()).getIntervalMs()).isEqualTo(30_000);

      client.ping(43, 1_000);
      assertThat(Pong.parseFrom(client.readUntil(Signal.PING).body()).getIntervalMs()).isEqualTo(10_000);
    }
  }

  @Test
  void aDeviceNotConnectedHereIsNotConnectedWhateverItsExpiry() {
    Delivery delivery = delivery("anyone");
    delivery.setExpiresAtMs(1);
    assertThat(cluster.deliver(delivery).getResults().get(0).getOutcome())
        .isEqualTo(DeliveryOutcome.NOT_CONNECTED);
  }

  @Test
  void expiredDeliveryToAConnectedDeviceIsReportedExpired() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      awaitRoute(regId);
      Delivery delivery = delivery(regId);
      delivery.setExpiresAtMs(System.currentTimeMillis() - 1);

      assertThat(cluster.deliver(delivery).getResults().get(0).getOutcome()).isEqualTo(DeliveryOutcome.EXPIRED);
    }
  }

  @Test
  void deliveriesBeyondTheWindowWaitInTheSessionAndAreWrittenInOrderAsAcksArrive() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      awaitRoute(regId);
      Delivery[] batch = new Delivery[300];
      for (int i = 0; i < batch.length; i++) {
        batch[i] = delivery(regId);
      }

      DeliveryReport report = cluster.deliver(batch);

      // Every one is accepted by the session; max-in-flight-per-session (256) bounds what is written unacked.
      assertThat(report.count(DeliveryOutcome.WRITTEN)).isEqualTo(300);
      List<String> received = new ArrayList<>();
      for (int i = 0; i < 256; i++) {
        received.add(client.readPush().getMsgId());
      }
      assertThat(client.pushesUntilPong(77)).isEmpty();
      client.ack(received);
      for (int i = 0; i < 44; i++) {
        received.add(client.readPush().getMsgId());
      }
      assertThat(received).containsExactlyElementsOf(Arrays.stream(batch).map(Delivery::getMsgId).toList());
    }
  }

  private static Delivery delivery(String regId) {
    Delivery delivery = new Delivery();
    delivery.setMsgId(MessageIds.next());
    delivery.setAppId(appId);
    delivery.setRegId(regId);
    delivery.setPayload("{}".getBytes());
    return delivery;
  }

  private static Route awaitRoute(String regId) {
    return await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> cluster.stores().routes().find(regId).orElse(null), route -> route != null
            && route.nodeId().equals(cluster.node().nodeId()));
  }
}
