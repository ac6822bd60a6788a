package io.universepush.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.api.support.Http.Answer;
import io.universepush.api.support.TestCluster;
import io.universepush.rpc.connector.AndroidOptions;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.IosOptions;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tag and app-wide pushes (one log entry and one bus event, never a loop over devices), platform filtering, push
 * options, and the message status counters, against the real fan-out log and bus in Redis.
 */
class FanoutPushTest {
  private static TestCluster cluster;
  private static String api;

  private final List<FanoutEvent> events = new CopyOnWriteArrayList<>();
  private AutoCloseable subscription;

  @BeforeAll
  static void start() {
    cluster = TestCluster.shared();
    api = cluster.publicUrl;
  }

  @BeforeEach
  void listen() {
    subscription = cluster.stores.fanoutBus().subscribe(events::add);
  }

  @AfterEach
  void stopListening() throws Exception {
    subscription.close();
  }

  @Test
  void aTagPushIsLoggedOnceAndPublishedWithTheWholeMessage() {
    String[] app = cluster.createApp("fanout-tags");
    String news = device(app, "android", "news");
    String both = device(app, "ios", "news", "sport");
    device(app, "ios", "music");
    cluster.connect(app[0], news, cluster.node(1));

    Answer pushed =
        push(
            app,
            "{\"audience\":{\"tags\":[\"news\",\"sport\"]},\"platform\":[\"android\",\"ios\"],\"alert\":\"hi\","
                + "\"title\":\"T\",\"message\":{\"k\":1},\"extras\":{\"e\":\"f\"},\"ttl\":600,"
                + "\"ios\":{\"sound\":\"ding\",\"badge\":2,\"production\":true},\"android\":{\"extras\":{\"a\":\"b\"}}}");

    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
    String msgId = pushed.json().get("msg_id").asText();
    // The estimate: the sum of the tags' sizes (news 2 + sport 1), the device in both counted twice.
    assertThat(pushed.json().get("accepted").asInt()).isEqualTo(3);

    FanoutEvent event = eventOf(msgId);
    FanoutEntry entry = event.entry();
    assertThat(entry.appId()).isEqualTo(app[0]);
    assertThat(entry.tags()).containsExactlyInAnyOrder("news", "sport");
    assertThat(entry.platforms()).containsExactlyInAnyOrder("android", "ios");
    // The app's first fan-out: offset 1 in the epoch its log started.
    assertThat(entry.offset()).isEqualTo(1);
    assertThat(entry.epoch()).isEqualTo(cluster.stores.fanoutLog().top(app[0]).epoch());
    assertThat(entry.appendedAtMs()).isPositive();
    StoredMessage message = event.message();
    assertThat(message.payload()).isEqualTo("{\"k\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(message.alert()).isEqualTo("hi");
    assertThat(message.title()).isEqualTo("T");
    assertThat(message.extras()).containsExactly(Map.entry("e", "f"));
    assertThat(message.ios()).isEqualTo(new IosOptions("ding", 2, true, Map.of()));
    assertThat(message.android()).isEqualTo(new AndroidOptions(Map.of("a", "b")));
    assertThat(message.expiresAtMs()).isEqualTo(entry.expiresAtMs()).isGreaterThan(System.currentTimeMillis());

    assertThat(cluster.stores.fanoutLog().read(app[0], null, 0, 10).entries()).containsExactly(entry);
    assertThat(cluster.stores.messages().find(msgId)).isPresent();
    // Connectors deliver fan-outs from the bus and the log: no pending entries, no targeted call from push-api.
    assertThat(cluster.stores.messages().pending(news, 10)).isEmpty();
    assertThat(cluster.stores.messages().pending(both, 10)).isEmpty();
    assertThat(cluster.node(1).connector().deliveriesTo(news)).isEmpty();

    JsonNode status = status(app, msgId);
    assertThat(status.get("targets").asLong()).isEqualTo(3);
    assertThat(status.get("pending").asLong()).isEqualTo(3);
  }

  @Test
  void anAppWidePushReachesTheBusAndAnOnlineOnlyOneIsNeverLogged() {
    String[] app = cluster.createApp("fanout-all");
    device(app, "android");
    device(app, "web");

    Answer durable = push(app, "{\"audience\":\"all\",\"alert\":\"to everyone\",\"ttl\":60}");
    Answer onlineOnly = push(app, "{\"audience\":{\"all\":true},\"alert\":\"now or never\",\"ttl\":0}");

    assertThat(durable.status()).as(durable.toString()).isEqualTo(200);
    assertThat(durable.json().get("accepted").asInt()).isEqualTo(2);
    assertThat(onlineOnly.status()).as(onlineOnly.toString()).isEqualTo(200);
    FanoutEvent logged = eventOf(durable.json().get("msg_id").asText());
    FanoutEvent live = eventOf(onlineOnly.json().get("msg_id").asText());
    assertThat(logged.entry().tags()).isEmpty();
    assertThat(logged.entry().platforms()).isEmpty();
    assertThat(logged.entry().offset()).isEqualTo(1);
    assertThat(live.entry().isLogged()).isFalse();
    assertThat(live.entry().epoch()).isEmpty();
    assertThat(live.message().expiresAtMs()).isZero();
    assertThat(cluster.stores.messages().find(live.message().msgId())).isEmpty();
    assertThat(cluster.stores.fanoutLog().read(app[0], null, 0, 10).entries()).containsExactly(logged.entry());
    // Online only: what no connector wrote at once is dropped.
    JsonNode status = status(app, live.message().msgId());
    assertThat(status.get("targets").asLong()).isEqualTo(2);
    assertThat(status.get("expired").asLong()).isEqualTo(2);
    assertThat(status.get("pending").asLong()).isZero();
  }

  @Test
  void aTagNobodyCarriesIsStillPublished() {
    String[] app = cluster.createApp("fanout-empty-tag");
    Answer pushed = push(app, "{\"audience\":{\"tags\":[\"nobody-yet\"]},\"alert\":\"x\"}");

    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
    assertThat(pushed.json().get("accepted").asInt()).isZero();
    eventOf(pushed.json().get("msg_id").asText());
  }

  @Test
  void unicastAndTagsCombineAndEachPathIsTaken() {
    String[] app = cluster.createApp("fanout-combined");
    String direct = device(app, "android");
    device(app, "ios", "vip");
    cluster.connect(app[0], direct, cluster.node(2));

    Answer pushed =
        push(app, "{\"audience\":{\"reg_ids\":[\"" + direct + "\"],\"tags\":[\"vip\"]},\"alert\":\"x\",\"ttl\":60}");

    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
    String msgId = pushed.json().get("msg_id").asText();
    assertThat(pushed.json().get("accepted").asInt()).isEqualTo(2);
    assertThat(eventOf(msgId).entry().tags()).containsExactly("vip");
    await().atMost(Duration.ofSeconds(10)).until(() -> !cluster.node(2).connector().deliveriesTo(direct).isEmpty());
    assertThat(cluster.stores.messages().pending(direct, 10)).containsExactly(msgId);
  }

  @Test
  void thePlatformFilterAppliesToReg_idsAndAliasesToo() {
    String[] app = cluster.createApp("fanout-platform");
    String android = device(app, "android");
    String ios = deviceWithAlias(app, "ios", "pat");
    String web = deviceWithAlias(app, "web", "pat");

    Answer pushed =
        push(
            app,
            "{\"audience\":{\"reg_ids\":[\"" + android + "\",\"" + ios + "\"],\"aliases\":[\"pat\"]},"
                + "\"platform\":\"ios\",\"alert\":\"x\",\"ttl\":60}");

    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
    String msgId = pushed.json().get("msg_id").asText();
    assertThat(pushed.json().get("accepted").asInt()).isEqualTo(1);
    assertThat(cluster.stores.messages().pending(ios, 10)).containsExactly(msgId);
    assertThat(cluster.stores.messages().pending(android, 10)).isEmpty();
    assertThat(cluster.stores.messages().pending(web, 10)).isEmpty();

    Answer nobody =
        push(app, "{\"audience\":{\"reg_ids\":[\"" + android + "\"]},\"platform\":\"web\",\"alert\":\"x\"}");
    assertThat(nobody.status()).as(nobody.toString()).isEqualTo(404);
    assertThat(nobody.error()).isEqualTo("unknown_audience");
  }

  @Test
  void unicastDeliveriesCarryTheIosAndAndroidOptions() {
    String[] app = cluster.createApp("options");
    String regId = device(app, "ios");
    cluster.connect(app[0], regId, cluster.node(1));

    Answer pushed =
        push(
            app,
            "{\"audience\":{\"reg_ids\":[\"" + regId + "\"]},\"alert\":\"x\","
                + "\"ios\":{\"sound\":\"s\",\"badge\":0,\"extras\":{\"i\":\"j\"}},\"android\":{\"extras\":{}}}");

    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
    Delivery delivery =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> cluster.node(1).connector().deliveriesTo(regId), d -> !d.isEmpty())
            .get(0);
    assertThat(delivery.getIos()).isEqualTo(new IosOptions("s", 0, false, Map.of("i", "j")));
    assertThat(delivery.getAndroid()).isEqualTo(new AndroidOptions(Map.of()));
    assertThat(cluster.stores.messages().find(pushed.json().get("msg_id").asText()).orElseThrow().ios())
        .isEqualTo(delivery.getIos());
  }

  @Test
  void aDurableMessagePastItsExpiryCountsEveryUnackedTargetAsExpired() {
    String[] app = cluster.createApp("expiry");
    String acked = device(app, "android");
    String never = device(app, "android");
    String alsoNever = device(app, "web");

    Answer pushed =
        push(
            app,
            "{\"audience\":{\"reg_ids\":[\"" + acked + "\",\"" + never + "\",\"" + alsoNever + "\"]},"
                + "\"alert\":\"x\",\"ttl\":1}");
    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
    String msgId = pushed.json().get("msg_id").asText();
    // As a connector counts a write and its ack.
    cluster.stores.stats().increment(msgId, MessageStats.SENT, 1);
    cluster.stores.stats().increment(msgId, MessageStats.DELIVERED, 1);

    JsonNode before = status(app, msgId);
    assertThat(before.get("targets").asLong()).isEqualTo(3);
    assertThat(before.get("sent").asLong()).isEqualTo(1);
    assertThat(before.get("delivered").asLong()).isEqualTo(1);
    assertThat(before.get("pending").asLong()).isEqualTo(2);
    assertThat(before.get("expired").asLong()).isZero();

    JsonNode after =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> status(app, msgId), s -> s.get("expired").asLong() > 0);
    assertThat(after.get("expired").asLong()).isEqualTo(2);
    assertThat(after.get("pending").asLong()).isZero();
    assertThat(after.get("delivered").asLong()).isEqualTo(1);
  }

  @Test
  void fanoutCountersAreWhatConnectorsReport() {
    String[] app = cluster.createApp("fanout-counters");
    device(app, "android", "t");
    device(app, "android", "t");
    String msgId = push(app, "{\"audience\":{\"tags\":[\"t\"]},\"alert\":\"x\"}").json().get("msg_id").asText();

    cluster.stores.stats().increment(msgId, MessageStats.SENT, 2);
    cluster.stores.stats().increment(msgId, MessageStats.DELIVERED, 1);

    JsonNode status = status(app, msgId);
    assertThat(status.get("targets").asLong()).isEqualTo(2);
    assertThat(status.get("sent").asLong()).isEqualTo(2);
    assertThat(status.get("delivered").asLong()).isEqualTo(1);
    assertThat(status.get("pending").asLong()).isEqualTo(1);
  }

  @Test
  void anotherAppCanNeitherReadAFanoutNorReachTheFirstAppsTags() {
    String[] a = cluster.createApp("fanout-a");
    String[] b = cluster.createApp("fanout-b");
    device(a, "android", "shared-tag");
    String aMessage =
        push(a, "{\"audience\":{\"tags\":[\"shared-tag\"]},\"alert\":\"x\"}").json().get("msg_id").asText();

    assertThat(cluster.http.get(api + "/v1/messages/" + aMessage, b).status()).isEqualTo(404);
    Answer fromB = push(b, "{\"audience\":{\"tags\":[\"shared-tag\"]},\"alert\":\"x\"}");
    assertThat(fromB.json().get("accepted").asInt()).isZero();
    FanoutEvent event = eventOf(fromB.json().get("msg_id").asText());
    // Connectors match a fan-out only against sessions of the event's app.
    assertThat(event.entry().appId()).isEqualTo(b[0]);
    assertThat(cluster.stores.fanoutLog().read(a[0], null, 0, 10).entries()).extracting(FanoutEntry::msgId)
        .containsExactly(aMessage);
  }

  // --- helpers ------------------------------------------------------------------------------------------------

  private FanoutEvent eventOf(String msgId) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> events.stream().filter(e -> e.message().msgId().equals(msgId)).findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static Answer push(String[] app, String body) {
    return cluster.http.post(api + "/v1/push", body, app);
  }

  private static JsonNode status(String[] app, String msgId) {
    Answer answer = cluster.http.get(api + "/v1/messages/" + msgId, app);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.json();
  }

  private static String device(String[] app, String platform, String... tags) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("platform", platform);
    body.put("tags", List.of(tags));
    return cluster.registerDevice(app, body).get("reg_id").asText();
  }

  private static String deviceWithAlias(String[] app, String platform, String alias) {
    return cluster.registerDevice(app, Map.of("platform", platform, "alias", alias)).get("reg_id").asText();
  }
}
