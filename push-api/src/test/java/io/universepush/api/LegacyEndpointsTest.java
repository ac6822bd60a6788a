package io.universepush.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.api.support.Http.Answer;
import io.universepush.api.support.TestCluster;
import io.universepush.api.support.Http;
import io.universepush.rpc.connector.Delivery;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.device.DeviceRegistration;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** universe_push's HTTP endpoints, as old app servers call them. */
class LegacyEndpointsTest {
  private static TestCluster cluster;
  private static String api;

  @BeforeAll
  static void start() {
    cluster = TestCluster.shared();
    api = cluster.publicUrl;
  }

  @Test
  void sendToAllPublishesOneOnlineOnlyFanoutForTheLegacyApp() throws Exception {
    List<FanoutEvent> events = new CopyOnWriteArrayList<>();
    String marker = "to-all-" + UUID.randomUUID();
    try (AutoCloseable ignored =
        cluster.stores.fanoutBus().subscribe(
            e -> {
              if (new String(e.message().payload(), StandardCharsets.UTF_8).startsWith(marker)) {
                events.add(e);
              }
            })) {
      Answer byQuery = cluster.http.get(api + "/push/sendToAll?message=" + encode(marker + " é"));
      assertThat(byQuery.json().get("code").asInt()).as(byQuery.toString()).isEqualTo(200);
      Answer byBody =
          cluster.http.send(
              Http.builder(api + "/push/sendToAll")
                  .header("Content-Type", "text/plain; charset=utf-8")
                  .POST(HttpRequest.BodyPublishers.ofString(marker + " raw", StandardCharsets.UTF_8)));
      assertThat(byBody.json().get("code").asInt()).as(byBody.toString()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
    }
    assertThat(events)
        .extracting(e -> new String(e.message().payload(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder(marker + " é", marker + " raw");
    for (FanoutEvent event : events) {
      assertThat(event.entry().appId()).isEqualTo("legacy");
      assertThat(event.message().appId()).isEqualTo("legacy");
      // At most once, as universe_push: never logged, never stored.
      assertThat(event.entry().isLogged()).isFalse();
      assertThat(event.entry().tags()).isEmpty();
      assertThat(event.entry().platforms()).isEmpty();
      assertThat(event.message().expiresAtMs()).isZero();
      assertThat(cluster.stores.messages().find(event.message().msgId())).isEmpty();
    }
    assertThat(cluster.stores.fanoutLog().read("legacy", null, 0, 1000).entries())
        .noneMatch(entry -> events.stream().anyMatch(e -> e.message().msgId().equals(entry.msgId())));
  }

  @Test
  void sendToAllWithoutAMessageIsRefused() {
    assertCode(cluster.http.get(api + "/push/sendToAll"), 10002);
    assertCode(cluster.http.get(api + "/push/sendToAll?message="), 10002);
    assertCode(cluster.http.get(api + "/push/sendToAll?message=" + "x".repeat(4097)), 10004);
  }

  @Test
  void sendByTokenReachesTheConnectedDeviceAsText() {
    DeviceRegistration device = legacyDevice();
    cluster.connect("legacy", device.device().regId(), cluster.node(2));

    Answer sent = cluster.http.get(api + "/push/sendByToken?token=" + device.token() + "&message=" + encode("hé llo"));

    assertThat(sent.status()).isEqualTo(200);
    assertThat(sent.json().get("code").asInt()).as(sent.toString()).isEqualTo(200);
    assertThat(sent.json().get("message").asText()).isEqualTo("ok");
    Delivery delivery = cluster.node(2).connector().deliveriesTo(device.device().regId()).get(0);
    assertThat(delivery.getAppId()).isEqualTo("legacy");
    assertThat(delivery.getPayload()).isEqualTo("hé llo".getBytes(StandardCharsets.UTF_8));
    assertThat(delivery.getExpiresAtMs()).isZero();
    // universe_push semantics: nothing is stored for a device that is not there.
    assertThat(cluster.stores.messages().pending(device.device().regId(), 10)).isEmpty();
  }

  @Test
  void sendByTokenAcceptsAFormPost() {
    DeviceRegistration device = legacyDevice();
    cluster.connect("legacy", device.device().regId(), cluster.node(1));

    Answer sent =
        cluster.http.postForm(api + "/push/sendByToken", "token=" + device.token() + "&message=" + encode("a+b"));

    assertThat(sent.json().get("code").asInt()).as(sent.toString()).isEqualTo(200);
    assertThat(cluster.node(1).connector().deliveriesTo(device.device().regId()).get(0).getPayload())
        .isEqualTo("a+b".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sendByTokenAnswersUniversePushCodes() {
    DeviceRegistration offline = legacyDevice();

    assertCode(cluster.http.get(api + "/push/sendByToken?message=hi"), 10001);
    assertCode(cluster.http.get(api + "/push/sendByToken?token=&message=hi"), 10001);
    assertCode(cluster.http.get(api + "/push/sendByToken?token=" + offline.token()), 10002);
    assertCode(cluster.http.get(api + "/push/sendByToken?token=" + offline.token() + "&message="), 10002);
    assertCode(cluster.http.get(api + "/push/sendByToken?token=unknown-token&message=hi"), 20001);
    assertCode(cluster.http.get(api + "/push/sendByToken?token=" + offline.token() + "&message=hi"), 20001);
    assertCode(
        cluster.http.get(api + "/push/sendByToken?token=" + offline.token() + "&message=" + "x".repeat(4097)),
        10004);
  }

  @Test
  void sendByTokensReportsWhichTokensWereReached() {
    DeviceRegistration online = legacyDevice();
    DeviceRegistration offline = legacyDevice();
    cluster.connect("legacy", online.device().regId(), cluster.node(1));

    Answer byGet =
        cluster.http.get(
            api + "/push/sendByTokens?tokens=" + online.token() + "," + offline.token() + ",nope&message=multi");

    assertThat(byGet.json().get("code").asInt()).as(byGet.toString()).isEqualTo(200);
    assertThat(texts(byGet.json().get("successTokens"))).containsExactly(online.token());
    assertThat(texts(byGet.json().get("failTokens"))).containsExactly(offline.token(), "nope");

    Answer byJson =
        cluster.http.post(
            api + "/push/sendByTokens", Map.of("message", "json", "tokens", List.of(offline.token(), online.token())));

    assertThat(byJson.json().get("code").asInt()).as(byJson.toString()).isEqualTo(200);
    assertThat(texts(byJson.json().get("successTokens"))).containsExactly(online.token());
    assertThat(texts(byJson.json().get("failTokens"))).containsExactly(offline.token());
    assertThat(cluster.node(1).connector().deliveriesTo(online.device().regId()))
        .extracting(d -> new String(d.getPayload(), StandardCharsets.UTF_8))
        .containsExactly("multi", "json");

    Answer noneReached =
        cluster.http.post(api + "/push/sendByTokens", Map.of("message", "x", "tokens", List.of("nope")));
    assertThat(noneReached.json().get("code").asInt()).isEqualTo(20001);
    assertCode(cluster.http.get(api + "/push/sendByTokens?tokens=&message=x"), 10001);
    assertCode(cluster.http.get(api + "/push/sendByTokens?tokens=a,b"), 10002);
  }

  @Test
  void monitorEndpointsReportLivenessConnectionsAndOnlineStatus() {
    DeviceRegistration online = legacyDevice();
    DeviceRegistration offline = legacyDevice();
    cluster.connect("legacy", online.device().regId(), cluster.node(1));
    cluster.announce("monitor-node", 43000, 5);
    try {
      assertThat(cluster.http.get(api + "/monitor/alive").json().get("code").asInt()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(cluster.http.get(api + "/monitor/onlinenum").json().get("onlineNum").asLong())
                  .isGreaterThanOrEqualTo(5));

      JsonNode status = cluster.http.get(api + "/monitor/onlinestatus?token=" + online.token()).json();
      assertThat(status.get("online").asBoolean()).isTrue();
      assertThat(status.get("message").asText()).isEqualTo("online");
      JsonNode offlineStatus = cluster.http.get(api + "/monitor/onlinestatus?token=" + offline.token()).json();
      assertThat(offlineStatus.get("online").asBoolean()).isFalse();
      assertCode(cluster.http.get(api + "/monitor/onlinestatus"), 10001);
    } finally {
      cluster.nodes.unregister("monitor-node");
    }
  }

  @Test
  void redirectListsLiveConnectorsLeastLoadedFirst() {
    cluster.announce("redirect-busy", 44000, 900);
    cluster.announce("redirect-idle", 45000, 0);
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonNode answer = cluster.http.get(api + "/manager/redirect").json();
                assertThat(answer.get("code").asInt()).isEqualTo(200);
                List<Integer> ports = answer.get("nodeInfos").findValues("port").stream().map(JsonNode::asInt).toList();
                assertThat(ports).containsSubsequence(45000, 44000);
                assertThat(answer.get("nodeInfos").get(0).get("ip").asText()).isEqualTo("127.0.0.1");
              });
    } finally {
      cluster.nodes.unregister("redirect-busy");
      cluster.nodes.unregister("redirect-idle");
    }
  }

  @Test
  void legacyEndpointsCanBeSwitchedOff() {
    ConfigurableApplicationContext withoutLegacy =
        io.universepush.api.ApiApplication.builder()
            .run(
                "--server.port=0",
                "--universe.push.api.admin-port=0",
                "--universe.push.api.legacy.enabled=false",
                "--universe.push.zookeeper.address=" + cluster.zookeeper.connectString(),
                "--universe.push.redis.address=" + cluster.redis.address(),
                "--dubbo.service.shutdown.wait=1000",
                "--spring.main.banner-mode=off");
    try {
      String url = "http://127.0.0.1:" + withoutLegacy.getEnvironment().getProperty("local.server.port");
      Answer answer = cluster.http.get(url + "/push/sendByToken?token=t&message=m");
      assertThat(answer.status()).isEqualTo(404);
      assertThat(answer.error()).isEqualTo("not_found");
      assertThat(cluster.http.get(url + "/monitor/alive").status()).isEqualTo(404);
    } finally {
      withoutLegacy.close();
    }
  }

  private static DeviceRegistration legacyDevice() {
    return cluster.stores.devices().subscribeLegacy("legacy", "uid-" + UUID.randomUUID());
  }

  private static void assertCode(Answer answer, int code) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.json().get("code").asInt()).as(answer.toString()).isEqualTo(code);
    assertThat(answer.json().get("message").asText()).isNotBlank();
  }

  private static List<String> texts(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
