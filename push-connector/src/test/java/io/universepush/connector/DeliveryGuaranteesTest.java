package io.universepush.connector;

import static io.universepush.connector.TestClient.binding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Push;
import io.universepush.rpc.connector.AndroidOptions;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.IosOptions;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.route.Route;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At-least-once on the wire: redelivery with real attempt numbers (in a connection and across connections), max
 * attempts, expiry, logout, and several apps on one connection. The cluster runs with a 300 ms redelivery timeout
 * and 3 attempts at most.
 */
@ExtendWith(ConnectorCluster.Extension.class)
class DeliveryGuaranteesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static ConnectorCluster cluster;
  private static String appId;

  @BeforeAll
  static void setUp(ConnectorCluster shared) {
    cluster = shared;
    appId = cluster.newApp();
  }

  @Test
  void anUnackedPushIsResentWithTheNextAttemptAndAnAckCountsItDeliveredOnce() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      awaitRoute(regId);
      StoredMessage message = cluster.storePending(appId, regId, "{\"n\":1}");
      assertThat(cluster.deliver(ConnectorCluster.delivery(message, regId)).getResults().get(0).getOutcome())
          .isEqualTo(DeliveryOutcome.WRITTEN);

      Push first = client.readPush();
      Push second = client.readPush();
      assertThat(first.getMsgId()).isEqualTo(message.msgId());
      assertThat(first.getAttempt()).isEqualTo(1);
      assertThat(second.getMsgId()).isEqualTo(message.msgId());
      assertThat(second.getAttempt()).isEqualTo(2);

      client.ack(List.of(message.msgId()));
      client.ack(List.of(message.msgId()));

      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(cluster.stores().messages().pending(regId, 10)).isEmpty();
        assertThat(counters(message)).containsEntry(MessageStats.DELIVERED, 1L);
      });
      // Acked: not written again (a PING answered after the ack proves every earlier write was read).
      assertThat(client.pushesUntilPong(5)).noneMatch(push -> push.getAttempt() > 2);
      assertThat(counters(message)).containsEntry(MessageStats.DELIVERED, 1L).doesNotContainKey(MessageStats.FAILED);
    }
  }

  @Test
  void attemptsAddUpAcrossConnections() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    StoredMessage message = cluster.storePending(appId, regId, "{\"n\":2}");
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      assertThat(client.readPush().getAttempt()).isEqualTo(1);
    }
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      Push again = client.readPush();
      assertThat(again.getMsgId()).isEqualTo(message.msgId());
      assertThat(again.getAttempt()).isEqualTo(2);
      client.ack(List.of(message.msgId()));
      await().atMost(WAIT).until(() -> cluster.stores().messages().pending(regId, 10).isEmpty());
    }
  }

  @Test
  void pastMaxAttemptsThePushFailsAndIsNotResent() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      awaitRoute(regId);
      StoredMessage message = cluster.storePending(appId, regId, "{\"n\":3}");
      cluster.deliver(ConnectorCluster.delivery(message, regId));

      for (int attempt = 1; attempt <= ConnectorCluster.MAX_ATTEMPTS; attempt++) {
        assertThat(client.readPush().getAttempt()).isEqualTo(attempt);
      }

      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(counters(message)).containsEntry(MessageStats.FAILED, 1L);
        assertThat(cluster.stores().messages().pending(regId, 10)).isEmpty();
      });
      assertThat(client.pushesUntilPong(6)).isEmpty();
      assertThat(counters(message)).doesNotContainKey(MessageStats.DELIVERED);
    }
    // Not pending any more: a new connection does not get it either.
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      assertThat(client.pushesUntilPong(7)).isEmpty();
    }
  }

  @Test
  void anExpiredPendingMessageIsNeverWrittenAndCountedExpiredOnce() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    StoredMessage message = cluster.storePending(appId, regId, "{\"n\":4}", Duration.ofMillis(200));
    StoredMessage live = cluster.storePending(appId, regId, "{\"n\":5}");
    await().atMost(WAIT).until(() -> System.currentTimeMillis() > message.expiresAtMs());

    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      Push push = client.readPush();
      assertThat(push.getMsgId()).isEqualTo(live.msgId());
      client.ack(List.of(live.msgId()));
      assertThat(client.pushesUntilPong(8)).extracting(Push::getMsgId).doesNotContain(message.msgId());
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(counters(message)).containsEntry(MessageStats.EXPIRED, 1L));
    assertThat(counters(message)).doesNotContainKey(MessageStats.SENT);
  }

  @Test
  void anUnackedPushThatExpiresIsNotRedeliveredAndCountedExpiredOnce() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      awaitRoute(regId);
      // Written at once, then due again after 300 ms and 600 ms: it expires before the third attempt.
      StoredMessage message = cluster.storePending(appId, regId, "{\"n\":6}", Duration.ofMillis(700));
      cluster.deliver(ConnectorCluster.delivery(message, regId));
      assertThat(client.readPush().getAttempt()).isEqualTo(1);

      await().atMost(WAIT).untilAsserted(() -> assertThat(counters(message)).containsEntry(MessageStats.EXPIRED, 1L));
      assertThat(client.pushesUntilPong(9)).allSatisfy(push -> assertThat(push.getAttempt()).isLessThan(3));
      assertThat(cluster.stores().messages().pending(regId, 10)).isEmpty();
      assertThat(counters(message)).doesNotContainKey(MessageStats.FAILED);
    }
  }

  @Test
  void logoutRemovesTheRouteAndStopsDeliveries() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      awaitRoute(regId);

      client.disconnect(true);

      assertThat(client.awaitClosed()).isTrue();
    }
    await().atMost(WAIT).until(() -> cluster.stores().routes().find(regId).isEmpty());
    StoredMessage message = cluster.storePending(appId, regId, "{\"n\":7}");
    assertThat(cluster.deliver(ConnectorCluster.delivery(message, regId)).getResults().get(0).getOutcome())
        .isEqualTo(DeliveryOutcome.NOT_CONNECTED);
    assertThat(cluster.stores().messages().pending(regId, 10)).containsExactly(message.msgId());
  }

  @Test
  void aDisconnectWithoutClearSessionClosesAndTheRouteGoesWithTheConnection() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      awaitRoute(regId);

      client.disconnect(false);

      assertThat(client.awaitClosed()).isTrue();
    }
    await().atMost(WAIT).until(() -> cluster.stores().routes().find(regId).isEmpty());
  }

  @Test
  void twoAppsOnOneConnectionEachGetTheirOwnPushes() throws Exception {
    String otherApp = cluster.newApp();
    DeviceRegistration first = cluster.newDevice(appId);
    DeviceRegistration second = cluster.newDevice(otherApp);
    String firstReg = first.device().regId();
    String secondReg = second.device().regId();
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      ConnectAck ack =
          client.connectAccepted(binding(appId, firstReg, first.token()), binding(otherApp, secondReg, second.token()));
      assertThat(ack.getBindingsList())
          .extracting(b -> b.getResult())
          .containsExactly(ConnectResult.ACCEPTED.code(), ConnectResult.ACCEPTED.code());
      awaitRoute(firstReg);
      awaitRoute(secondReg);

      StoredMessage toFirst = cluster.storePending(appId, firstReg, "{\"to\":\"first\"}");
      StoredMessage toSecond = cluster.storePending(otherApp, secondReg, "{\"to\":\"second\"}");
      Delivery misdirected = ConnectorCluster.delivery(toSecond, firstReg);
      assertThat(cluster.deliver(misdirected).getResults().get(0).getOutcome())
          .isEqualTo(DeliveryOutcome.NOT_CONNECTED);
      cluster.deliver(ConnectorCluster.delivery(toFirst, firstReg), ConnectorCluster.delivery(toSecond, secondReg));

      Push one = client.readPush();
      Push two = client.readPush();
      assertThat(List.of(one, two))
          .extracting(Push::getMsgId, Push::getAppId, Push::getRegId)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(toFirst.msgId(), appId, firstReg),
              org.assertj.core.groups.Tuple.tuple(toSecond.msgId(), otherApp, secondReg));
      client.ack(List.of(toFirst.msgId(), toSecond.msgId()));
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(cluster.stores().messages().pending(firstReg, 10)).isEmpty();
        assertThat(cluster.stores().messages().pending(secondReg, 10)).isEmpty();
      });
    }
  }

  @Test
  void aBadTokenOnOneAppDoesNotRejectTheOtherApp() throws Exception {
    String otherApp = cluster.newApp();
    DeviceRegistration good = cluster.newDevice(otherApp);
    DeviceRegistration bad = cluster.newDevice(appId);
    StoredMessage waiting = cluster.storePending(otherApp, good.device().regId(), "{\"waiting\":true}");
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      ConnectAck ack =
          client.connectAccepted(
              binding(appId, bad.device().regId(), bad.token() + "x"),
              binding(otherApp, good.device().regId(), good.token()));

      assertThat(ack.getBindingsList())
          .extracting(b -> b.getResult())
          .containsExactly(ConnectResult.BAD_CREDENTIALS.code(), ConnectResult.ACCEPTED.code());
      // The accepted binding gets its pending flush; the rejected one no route.
      assertThat(client.readPush().getMsgId()).isEqualTo(waiting.msgId());
      awaitRoute(good.device().regId());
      assertThat(cluster.stores().routes().find(bad.device().regId())).isEmpty();
    }
  }

  @Test
  void pushCarriesTheIosAndAndroidOptions() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    StoredMessage plain = ConnectorCluster.message(appId, "{}", Duration.ofMinutes(1));
    StoredMessage message =
        new StoredMessage(
            plain.msgId(),
            appId,
            plain.payload(),
            plain.title(),
            plain.alert(),
            plain.extras(),
            plain.createdAtMs(),
            plain.expiresAtMs(),
            new IosOptions("ping.caf", 3, true, Map.of("i", "1")),
            new AndroidOptions(Map.of("a", "2")));
    cluster.stores().messages().saveWithPending(message, List.of(regId));
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));

      Push push = client.readPush();
      assertThat(push.getFanoutOffset()).isZero();
      assertThat(push.getIos().getSound()).isEqualTo("ping.caf");
      assertThat(push.getIos().hasBadge()).isTrue();
      assertThat(push.getIos().getBadge()).isEqualTo(3);
      assertThat(push.getIos().getProduction()).isTrue();
      assertThat(push.getIos().getExtrasMap()).containsEntry("i", "1");
      assertThat(push.getAndroid().getExtrasMap()).containsEntry("a", "2");
      client.ack(List.of(message.msgId()));
    }
  }

  private static Map<String, Long> counters(StoredMessage message) {
    return cluster.stores().stats().counters(message.msgId());
  }

  private static Route awaitRoute(String regId) {
    return await()
        .atMost(WAIT)
        .until(() -> cluster.stores().routes().find(regId).orElse(null), route -> route != null
            && route.nodeId().equals(cluster.node().nodeId()));
  }
}
