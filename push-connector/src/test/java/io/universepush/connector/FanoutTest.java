package io.universepush.connector;

import static io.universepush.connector.TestClient.binding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.legacy.LegacyBodies;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.Push;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.StreamPosition;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tag and app-wide pushes: live through the fan-out bus to the matching sessions of this node (platform and tag
 * filters), and replayed from the fan-out log after a device's cursor on CONNECT.
 */
@ExtendWith(ConnectorCluster.Extension.class)
class FanoutTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static ConnectorCluster cluster;

  @BeforeAll
  static void setUp(ConnectorCluster shared) {
    cluster = shared;
  }

  @Test
  void aLiveTagPushReachesOnlyTheMatchingSessions() throws Exception {
    String appId = cluster.newApp();
    DeviceRegistration androidSports = cluster.newDevice(appId, "android", Set.of("sports"));
    DeviceRegistration iosSports = cluster.newDevice(appId, "ios", Set.of("sports"));
    DeviceRegistration androidNews = cluster.newDevice(appId, "android", Set.of("news"));
    try (TestClient a = connect(appId, androidSports);
        TestClient b = connect(appId, iosSports);
        TestClient c = connect(appId, androidNews)) {
      awaitRoutes(androidSports, iosSports, androidNews);

      FanoutEntry sportsOnAndroid = publish(appId, Set.of("sports"), Set.of("android"), "{\"goal\":1}");
      Push push = a.readPush();
      assertThat(push.getMsgId()).isEqualTo(sportsOnAndroid.msgId());
      assertThat(push.getFanoutOffset()).isEqualTo(sportsOnAndroid.offset());
      assertThat(push.getRegId()).isEqualTo(androidSports.device().regId());
      assertThat(push.getAttempt()).isEqualTo(1);

      // An app-wide push reaches everyone; the sessions that were filtered out get it as their first PUSH.
      FanoutEntry everyone = publish(appId, Set.of(), Set.of(), "{\"all\":1}");
      assertThat(a.readPush().getMsgId()).isEqualTo(everyone.msgId());
      assertThat(b.readPush().getMsgId()).isEqualTo(everyone.msgId());
      assertThat(c.readPush().getMsgId()).isEqualTo(everyone.msgId());

      a.ack(List.of(sportsOnAndroid.msgId()));
      a.ack(List.of(sportsOnAndroid.msgId()));
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(cluster.stores().stats().counters(sportsOnAndroid.msgId()))
              .containsEntry(MessageStats.SENT, 1L)
              .containsEntry(MessageStats.DELIVERED, 1L));
    }
  }

  @Test
  void aLivePushOfAnotherAppIsNotWritten() throws Exception {
    String appId = cluster.newApp();
    String otherApp = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(appId, "android", Set.of("sports"));
    try (TestClient client = connect(appId, device)) {
      awaitRoutes(device);

      publish(otherApp, Set.of(), Set.of(), "{\"other\":1}");
      FanoutEntry own = publish(appId, Set.of(), Set.of(), "{\"own\":1}");

      assertThat(client.readPush().getMsgId()).isEqualTo(own.msgId());
    }
  }

  @Test
  void catchUpReplaysTheMatchingLogEntriesAfterTheCursorInOrder() throws Exception {
    String appId = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(appId, "android", Set.of("sports"));
    FanoutEntry first = append(appId, Set.of(), Set.of(), "{\"n\":1}");
    FanoutEntry news = append(appId, Set.of("news"), Set.of(), "{\"n\":2}");
    FanoutEntry iosOnly = append(appId, Set.of(), Set.of("ios"), "{\"n\":3}");
    FanoutEntry sports = append(appId, Set.of("sports"), Set.of("android"), "{\"n\":4}");
    FanoutEntry all = append(appId, Set.of(), Set.of(), "{\"n\":5}");
    StoredMessage unicast = cluster.storePending(appId, device.device().regId(), "{\"unicast\":1}");

    // No cursor: everything since the device registered, after its pending messages.
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, device.device().regId(), device.token()));
      List<Push> pushes = List.of(client.readPush(), client.readPush(), client.readPush(), client.readPush());
      assertThat(pushes).extracting(Push::getMsgId)
          .containsExactly(unicast.msgId(), first.msgId(), sports.msgId(), all.msgId());
      assertThat(pushes).extracting(Push::getFanoutOffset).containsExactly(0L, first.offset(), sports.offset(), all.offset());
      // Entries in between were not for this device: each push names the one before it, so the chain has no gap.
      assertThat(pushes).extracting(Push::getFanoutPrevOffset)
          .containsExactly(0L, first.offset() - 1, first.offset(), sports.offset());
      client.ack(List.of(unicast.msgId(), first.msgId(), sports.msgId(), all.msgId()));
      assertThat(client.pushesUntilPong(3)).extracting(Push::getMsgId)
          .doesNotContain(news.msgId(), iosOnly.msgId());
    }

    // After a position: only what follows it.
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      Binding withPosition =
          binding(appId, device.device().regId(), device.token()).toBuilder()
              .setFanoutPosition(StreamPosition.newBuilder().setOffset(first.offset()).setEpoch(first.epoch()))
              .build();
      ConnectAck ack = client.connectAccepted(withPosition);
      assertThat(ack.getBindings(0).getRecovered()).isTrue();
      assertThat(ack.getBindings(0).getFanoutPosition().getOffset()).isEqualTo(first.offset());
      assertThat(client.readPush().getFanoutOffset()).isEqualTo(sports.offset());
      assertThat(client.readPush().getFanoutOffset()).isEqualTo(all.offset());
      assertThat(client.pushesUntilPong(4)).extracting(Push::getFanoutOffset).doesNotContain(first.offset());
    }
  }

  @Test
  void aPositionTheLogCannotContinueIsAnsweredNotRecoveredAndNewFanoutsStillArrive() throws Exception {
    String appId = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(appId, "android", Set.of());
    FanoutEntry before = append(appId, Set.of(), Set.of(), "{\"n\":1}");
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      Binding otherEpoch =
          binding(appId, device.device().regId(), device.token()).toBuilder()
              .setFanoutPosition(StreamPosition.newBuilder().setOffset(1).setEpoch("gone-epoch"))
              .build();
      ConnectAck ack = client.connectAccepted(otherEpoch);
      assertThat(ack.getBindings(0).getRecovered()).isFalse();
      assertThat(ack.getBindings(0).getFanoutPosition().getOffset()).isEqualTo(before.offset());
      assertThat(ack.getBindings(0).getFanoutPosition().getEpoch()).isEqualTo(before.epoch());
      awaitRoutes(device);

      FanoutEntry after = publish(appId, Set.of(), Set.of(), "{\"n\":2}");
      Push push = client.readPush();
      assertThat(push.getMsgId()).isEqualTo(after.msgId());
      assertThat(push.getFanoutPrevOffset()).isEqualTo(before.offset());
    }
  }

  @Test
  void catchUpSkipsExpiredMessages() throws Exception {
    String appId = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(appId, "android", Set.of());
    FanoutEntry shortLived = append(appId, Set.of(), Set.of(), "{\"n\":1}", Duration.ofMillis(200));
    FanoutEntry longLived = append(appId, Set.of(), Set.of(), "{\"n\":2}", Duration.ofMinutes(1));
    await().atMost(WAIT).until(() -> System.currentTimeMillis() > shortLived.expiresAtMs());

    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, device.device().regId(), device.token()));
      assertThat(client.readPush().getMsgId()).isEqualTo(longLived.msgId());
    }
  }

  @Test
  void catchUpPagesThroughALogLongerThanTheInFlightLimit() throws Exception {
    String appId = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(appId, "android", Set.of());
    List<String> logged = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      logged.add(Long.toString(append(appId, Set.of(), Set.of(), "{\"i\":" + i + "}").offset()));
    }

    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, device.device().regId(), device.token()));
      // max-in-flight-per-session is 256: the first page; the rest follows the acks.
      Map<String, String> firstPage = readDistinct(client, new LinkedHashMap<>(), 256);
      client.ack(List.copyOf(firstPage.values()));
      Map<String, String> all = readDistinct(client, firstPage, 300);
      client.ack(List.copyOf(all.values()));

      assertThat(List.copyOf(all.keySet())).isEqualTo(logged);
    }
  }

  @Test
  void legacySessionsGetAFanoutPushAsText() throws Exception {
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.send(LegacyBodies.subRequest(ProtocolVersion.V2, 1, "fanout-legacy-device"));
      LegacyBodies.SubResponse sub = LegacyBodies.parseSubResponse(client.read());
      String regId = cluster.stores().devices().resolveLegacyToken(sub.token()).orElseThrow();
      await().atMost(WAIT).until(() -> cluster.stores().routes().find(regId).isPresent());

      FanoutEntry entry = publish("legacy", Set.of(), Set.of(), "to every legacy device");

      Frame push = client.readUntil(Signal.PUSH);
      assertThat(push.version()).isEqualTo(ProtocolVersion.V2);
      assertThat(push.bodyAsText()).isEqualTo("to every legacy device");
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(cluster.stores().stats().counters(entry.msgId())).containsKey(MessageStats.DELIVERED));
    }
  }

  /** Reads PUSHes until {@code count} distinct fan-out offsets were seen (redeliveries are skipped): offset to msg id. */
  private static Map<String, String> readDistinct(TestClient client, Map<String, String> seen, int count)
      throws Exception {
    Map<String, String> distinct = new LinkedHashMap<>(seen);
    while (distinct.size() < count) {
      Push push = client.readPush();
      distinct.putIfAbsent(Long.toString(push.getFanoutOffset()), push.getMsgId());
    }
    return distinct;
  }

  private static TestClient connect(String appId, DeviceRegistration device) throws Exception {
    TestClient client = new TestClient(cluster.tcpPort());
    client.connectAccepted(binding(appId, device.device().regId(), device.token()));
    return client;
  }

  private static void awaitRoutes(DeviceRegistration... devices) {
    for (DeviceRegistration device : devices) {
      await().atMost(WAIT).until(() -> cluster.stores().routes().find(device.device().regId()).isPresent());
    }
  }

  /** As push-api does for a fan-out with a ttl: store the message, append to the log, publish. */
  private static FanoutEntry publish(String appId, Set<String> tags, Set<String> platforms, String payload) {
    StoredMessage message = ConnectorCluster.message(appId, payload, Duration.ofMinutes(1));
    cluster.stores().messages().saveWithPending(message, List.of());
    FanoutEntry entry =
        cluster.stores().fanoutLog().append(
            FanoutEntry.of(appId, message.msgId(), tags, platforms, message.expiresAtMs()));
    cluster.stores().fanoutBus().publish(new FanoutEvent(entry, message));
    return entry;
  }

  private static FanoutEntry append(String appId, Set<String> tags, Set<String> platforms, String payload) {
    return append(appId, tags, platforms, payload, Duration.ofMinutes(1));
  }

  private static FanoutEntry append(
      String appId, Set<String> tags, Set<String> platforms, String payload, Duration ttl) {
    StoredMessage message = ConnectorCluster.message(appId, payload, ttl);
    cluster.stores().messages().saveWithPending(message, List.of());
    return cluster.stores().fanoutLog().append(
        FanoutEntry.of(appId, message.msgId(), tags, platforms, message.expiresAtMs()));
  }
}
