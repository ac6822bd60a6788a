package io.universepush.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.api.support.Http.Answer;
import io.universepush.api.system.AdminListener;
import io.universepush.api.support.TestCluster;
import io.universepush.rpc.connector.Delivery;
import io.universepush.store.route.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * push-api as it runs in production (both listeners, Dubbo over ZooKeeper, Redis), against stand-in
 * SubscribeService and ConnectorService providers reached through the registry.
 */
class ApiIntegrationTest {
  private static TestCluster cluster;
  private static String api;
  private static String admin;

  @BeforeAll
  static void start() {
    cluster = TestCluster.shared();
    api = cluster.publicUrl;
    admin = cluster.adminUrl;
  }

  // --- apps and listeners -------------------------------------------------------------------------------------

  @Test
  void appsAreCreatedOnTheAdminListenerOnly() {
    Answer onPublic = cluster.http.post(api + "/v1/apps", Map.of("name", "demo"));
    assertThat(onPublic.status()).isEqualTo(404);
    assertThat(onPublic.error()).isEqualTo("not_found");
    assertThat(cluster.http.get(api + "/v1/apps").status()).isEqualTo(404);
    assertThat(cluster.http.get(api + "/v1/cluster").status()).isEqualTo(404);

    Answer created = cluster.http.post(admin + "/v1/apps", Map.of("name", "demo"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("name").asText()).isEqualTo("demo");
    assertThat(created.json().get("app_id").asText()).isNotBlank();
    assertThat(created.json().get("app_secret").asText()).hasSizeGreaterThanOrEqualTo(22);
    assertThat(created.header("Location")).isEqualTo("/v1/apps/" + created.json().get("app_id").asText());
  }

  @Test
  void theBoundAdminPortIsPublished() {
    AdminListener listener = cluster.api.getBean(AdminListener.class);
    assertThat(listener.port()).isPositive();
    assertThat(admin).endsWith(":" + listener.port());
    assertThat(cluster.api.getEnvironment().getProperty(AdminListener.PORT_PROPERTY, Integer.class))
        .isEqualTo(listener.port());
    assertThat(listener.address()).isEqualTo("127.0.0.1");
    assertThat(api).doesNotEndWith(":" + listener.port());
  }

  @Test
  void theAdminListenerServesNoAppApi() {
    String[] app = cluster.createApp("admin-only");
    assertThat(cluster.http.post(admin + "/v1/devices", Map.of("platform", "android"), app).status())
        .isEqualTo(404);
  }

  @Test
  void appsAreListedRenamedRotatedAndDeleted() {
    String[] app = cluster.createApp("lifecycle");
    String appId = app[0];

    assertThat(cluster.http.get(admin + "/v1/apps").json().get("apps").findValuesAsText("app_id")).contains(appId);
    Answer one = cluster.http.get(admin + "/v1/apps/" + appId);
    assertThat(one.json().get("name").asText()).isEqualTo("lifecycle");
    assertThat(one.json().has("app_secret")).isFalse();
    assertThat(cluster.http.put(admin + "/v1/apps/" + appId, Map.of("name", "renamed")).json().get("name").asText())
        .isEqualTo("renamed");

    Answer rotated = cluster.http.post(admin + "/v1/apps/" + appId + "/secret", Map.of());
    assertThat(rotated.status()).isEqualTo(200);
    String newSecret = rotated.json().get("app_secret").asText();
    assertThat(newSecret).isNotEqualTo(app[1]);
    assertThat(cluster.http.get(api + "/v1/devices/none", app).status()).isEqualTo(401);
    assertThat(cluster.http.get(api + "/v1/devices/none", appId, newSecret).status()).isEqualTo(404);

    assertThat(cluster.http.get(admin + "/v1/apps/unknown").status()).isEqualTo(404);
    assertThat(cluster.http.put(admin + "/v1/apps/unknown", Map.of("name", "x")).status()).isEqualTo(404);
    assertThat(cluster.http.post(admin + "/v1/apps", Map.of("name", "")).message()).startsWith("name");
    assertThat(cluster.http.post(admin + "/v1/apps", Map.of("name", "n".repeat(129))).status()).isEqualTo(400);
  }

  @Test
  void deletingAnAppDeletesItsDevicesAndClosesTheirSessions() {
    String[] app = cluster.createApp("to-delete");
    String online = cluster.registerDevice(app);
    String offline = cluster.registerDevice(app);
    cluster.connect(app[0], online, cluster.node(2));

    Answer deleted = cluster.http.delete(admin + "/v1/apps/" + app[0]);

    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(deleted.json().get("devices_deleted").asInt()).isEqualTo(2);
    assertThat(deleted.json().get("sessions_closed").asInt()).isEqualTo(1);
    assertThat(cluster.node(2).connector().kicks()).contains(app[0] + "/" + online);
    assertThat(cluster.stores.devices().find(app[0], online)).isEmpty();
    assertThat(cluster.stores.devices().find(app[0], offline)).isEmpty();
    assertThat(cluster.http.get(api + "/v1/devices/" + online, app).status()).isEqualTo(401);
    assertThat(cluster.http.delete(admin + "/v1/apps/" + app[0]).status()).isEqualTo(404);
  }

  @Test
  void clusterShowsLiveNodesWithTheirConnections() {
    cluster.announce("cluster-view-node", 41000, 7);
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonNode view = cluster.http.get(admin + "/v1/cluster").json();
                assertThat(view.get("nodes").findValuesAsText("node_id")).contains("cluster-view-node");
                assertThat(view.get("connections").asLong()).isGreaterThanOrEqualTo(7);
              });
    } finally {
      cluster.nodes.unregister("cluster-view-node");
    }
  }

  // --- authentication -----------------------------------------------------------------------------------------

  @Test
  void appApiNeedsBasicCredentials() {
    String[] app = cluster.createApp("auth");
    Map<String, Object> body = Map.of("platform", "android");

    Answer none = cluster.http.post(api + "/v1/devices", body);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.error()).isEqualTo("unauthorized");
    assertThat(none.header("WWW-Authenticate")).startsWith("Basic realm=");
    assertThat(cluster.http.post(api + "/v1/devices", body, app[0], "wrong").status()).isEqualTo(401);
    assertThat(cluster.http.post(api + "/v1/devices", body, "no-such-app", app[1]).status()).isEqualTo(401);
    Answer garbage =
        cluster.http.send(
            io.universepush.api.support.Http.builder(api + "/v1/route?reg_id=x")
                .header("Authorization", "Basic !!!")
                .GET());
    assertThat(garbage.status()).isEqualTo(401);
    assertThat(cluster.http.post(api + "/v1/devices", body, app).status()).isEqualTo(201);
  }

  // --- devices ------------------------------------------------------------------------------------------------

  @Test
  void devicesAreRegisteredReadUpdatedAndDeleted() {
    String[] app = cluster.createApp("devices");
    cluster.announce("device-test-node", 42000, 0);
    try {
      JsonNode registered =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      cluster.registerDevice(
                          app, Map.of("platform", "ios", "alias", "alice", "tags", List.of("news", "vip"))),
                  r -> r.get("connectors").findValuesAsText("node_id").contains("device-test-node"));
      String regId = registered.get("reg_id").asText();
      assertThat(registered.get("token").asText()).hasSizeGreaterThanOrEqualTo(22);
      JsonNode connector = registered.get("connectors").get(0);
      assertThat(connector.get("host").asText()).isEqualTo("127.0.0.1");
      assertThat(connector.has("tcp_port")).isTrue();
      assertThat(connector.has("ws_port")).isTrue();
      assertThat(connector.has("mqtt_port")).isTrue();
      assertThat(cluster.stores.devices().verifyToken(app[0], regId, registered.get("token").asText())).isTrue();

      JsonNode device = cluster.http.get(api + "/v1/devices/" + regId, app).json();
      assertThat(device.get("platform").asText()).isEqualTo("ios");
      assertThat(device.get("alias").asText()).isEqualTo("alice");
      assertThat(List.of(device.get("tags").get(0).asText(), device.get("tags").get(1).asText()))
          .containsExactlyInAnyOrder("news", "vip");
      assertThat(device.get("online").asBoolean()).isFalse();
      assertThat(device.has("last_seen")).as("never connected").isFalse();

      cluster.connect(app[0], regId, cluster.node(1));
      JsonNode online = cluster.http.get(api + "/v1/devices/" + regId, app).json();
      assertThat(online.get("online").asBoolean()).isTrue();
      assertThat(online.get("node").asText()).isEqualTo("node-1");
      assertThat(online.get("connected_at").asText()).isNotBlank();
      assertThat(Instant.parse(online.get("last_seen").asText()))
          .isAfterOrEqualTo(Instant.parse(online.get("connected_at").asText()));

      Answer updated = cluster.http.put(api + "/v1/devices/" + regId, Map.of("tags", List.of("sports")), app);
      assertThat(updated.status()).isEqualTo(200);
      assertThat(updated.json().get("alias").asText()).isEqualTo("alice");
      assertThat(updated.json().get("tags").get(0).asText()).isEqualTo("sports");
      Answer cleared = cluster.http.put(api + "/v1/devices/" + regId, Map.of("alias", ""), app);
      assertThat(cleared.json().has("alias")).isFalse();

      Answer route = cluster.http.get(api + "/v1/route?reg_id=" + regId, app);
      assertThat(route.json().get("connectors").findValuesAsText("node_id")).contains("device-test-node");

      assertThat(cluster.http.delete(api + "/v1/devices/" + regId, app).status()).isEqualTo(204);
      assertThat(cluster.node(1).connector().kicks()).contains(app[0] + "/" + regId);
      assertThat(cluster.http.get(api + "/v1/devices/" + regId, app).status()).isEqualTo(404);
      assertThat(cluster.http.delete(api + "/v1/devices/" + regId, app).status()).isEqualTo(404);
    } finally {
      cluster.nodes.unregister("device-test-node");
    }
  }

  @Test
  void invalidDeviceFieldsAreNamed() {
    String[] app = cluster.createApp("device-fields");
    assertBadField(cluster.http.post(api + "/v1/devices", Map.of("platform", "symbian"), app), "platform");
    assertBadField(cluster.http.post(api + "/v1/devices", Map.of(), app), "platform");
    assertBadField(
        cluster.http.post(api + "/v1/devices", Map.of("platform", "web", "alias", "no spaces"), app), "alias");
    assertBadField(
        cluster.http.post(api + "/v1/devices", Map.of("platform", "web", "tags", List.of("ok", "b/d")), app),
        "tags[1]");
    List<String> tooMany = IntStream.range(0, 101).mapToObj(i -> "t" + i).toList();
    assertBadField(cluster.http.post(api + "/v1/devices", Map.of("platform", "web", "tags", tooMany), app), "tags");
    assertBadField(
        cluster.http.post(api + "/v1/devices", "{\"platform\":\"web\",\"tags\":\"news\"}", app), "tags");
    assertThat(cluster.http.get(api + "/v1/route", app).message()).startsWith("reg_id");
  }

  // --- pushes -------------------------------------------------------------------------------------------------

  @Test
  void pushToAnOnlineDeviceReachesItsNodeWithTheExactPayload() {
    String[] app = cluster.createApp("push-online");
    String regId = cluster.registerDevice(app);
    cluster.connect(app[0], regId, cluster.node(1));
    long before = System.currentTimeMillis();

    Answer pushed =
        cluster.http.post(
            api + "/v1/push",
            "{\"audience\":{\"reg_ids\":[\"" + regId + "\"]},\"alert\":\"hi\",\"title\":\"Greeting\","
                + "\"message\":{\"text\":\"hello \\u00e9\",\"n\":[1,2.5,null,true]},\"extras\":{\"k\":\"v\"},"
                + "\"ttl\":3600}",
            app);

    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
    String msgId = pushed.json().get("msg_id").asText();
    assertThat(pushed.json().get("accepted").asInt()).isEqualTo(1);
    Delivery delivery = firstDelivery(1, regId);
    assertThat(new String(delivery.getPayload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"text\":\"hello é\",\"n\":[1,2.5,null,true]}");
    assertThat(delivery.getMsgId()).isEqualTo(msgId);
    assertThat(delivery.getAppId()).isEqualTo(app[0]);
    assertThat(delivery.getAlert()).isEqualTo("hi");
    assertThat(delivery.getTitle()).isEqualTo("Greeting");
    assertThat(delivery.getExtras()).containsExactly(Map.entry("k", "v"));
    assertThat(delivery.getExpiresAtMs()).isBetween(before + 3_600_000, System.currentTimeMillis() + 3_600_000);
    assertThat(cluster.node(2).connector().deliveriesTo(regId)).isEmpty();
    // Written is not acknowledged: the message stays pending until the device acks it.
    assertThat(cluster.stores.messages().pending(regId, 10)).containsExactly(msgId);

    JsonNode status = cluster.http.get(api + "/v1/messages/" + msgId, app).json();
    assertThat(status.get("msg_id").asText()).isEqualTo(msgId);
    assertThat(status.get("targets").asLong()).isEqualTo(1);
    assertThat(status.get("pending").asLong()).isEqualTo(1);
    assertThat(status.get("delivered").asLong()).isZero();
    assertThat(status.get("expired").asLong()).isZero();
    assertThat(status.has("sent")).isTrue();
  }

  @Test
  void withoutAMessageTheAlertTextIsThePayload() {
    String[] app = cluster.createApp("push-alert");
    String regId = cluster.registerDevice(app);
    cluster.connect(app[0], regId, cluster.node(1));

    Answer pushed = cluster.http.post(api + "/v1/push", push(List.of(regId), "ça va?", null), app);

    assertThat(pushed.status()).isEqualTo(200);
    Delivery delivery = firstDelivery(1, regId);
    assertThat(delivery.getPayload()).isEqualTo("ça va?".getBytes(StandardCharsets.UTF_8));
    assertThat(delivery.getExpiresAtMs()).isGreaterThan(System.currentTimeMillis() + 86_000_000L);
  }

  @Test
  void pushToAnOfflineDeviceStaysPending() {
    String[] app = cluster.createApp("push-offline");
    String regId = cluster.registerDevice(app);

    Answer pushed = cluster.http.post(api + "/v1/push", push(List.of(regId), "later", 600), app);

    assertThat(pushed.status()).isEqualTo(200);
    String msgId = pushed.json().get("msg_id").asText();
    assertThat(cluster.stores.messages().pending(regId, 10)).containsExactly(msgId);
    assertThat(cluster.stores.messages().find(msgId))
        .hasValueSatisfying(m -> assertThat(m.payload()).isEqualTo("later".getBytes(StandardCharsets.UTF_8)));
    JsonNode status = cluster.http.get(api + "/v1/messages/" + msgId, app).json();
    assertThat(status.get("targets").asLong()).isEqualTo(1);
    assertThat(status.get("pending").asLong()).isEqualTo(1);
    assertThat(cluster.node(1).connector().deliveriesTo(regId)).isEmpty();
    assertThat(cluster.node(2).connector().deliveriesTo(regId)).isEmpty();
  }

  @Test
  void onlineOnlyPushIsNotStoredAndCountsOfflineTargetsAsExpired() {
    String[] app = cluster.createApp("push-ttl0");
    String online = cluster.registerDevice(app);
    String offline = cluster.registerDevice(app);
    cluster.connect(app[0], online, cluster.node(2));

    Answer pushed = cluster.http.post(api + "/v1/push", push(List.of(online, offline), "now", 0), app);

    assertThat(pushed.status()).isEqualTo(200);
    assertThat(pushed.json().get("accepted").asInt()).isEqualTo(2);
    String msgId = pushed.json().get("msg_id").asText();
    Delivery delivery = firstDelivery(2, online);
    assertThat(delivery.getExpiresAtMs()).isZero();
    assertThat(cluster.stores.messages().find(msgId)).isEmpty();
    assertThat(cluster.stores.messages().pending(offline, 10)).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode status = cluster.http.get(api + "/v1/messages/" + msgId, app).json();
              assertThat(status.get("targets").asLong()).isEqualTo(2);
              assertThat(status.get("expired").asLong()).isEqualTo(1);
              assertThat(status.get("pending").asLong()).isEqualTo(1);
            });
  }

  @Test
  void targetsAreGroupedByTheirNode() {
    String[] app = cluster.createApp("push-nodes");
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String a = cluster.registerDevice(app);
      cluster.connect(app[0], a, cluster.node(1));
      first.add(a);
      String b = cluster.registerDevice(app);
      cluster.connect(app[0], b, cluster.node(2));
      second.add(b);
    }
    List<String> all = new ArrayList<>(first);
    all.addAll(second);

    Answer pushed = cluster.http.post(api + "/v1/push", push(all, "both", 60), app);

    String msgId = pushed.json().get("msg_id").asText();
    assertThat(pushed.json().get("accepted").asInt()).isEqualTo(6);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(regIdsOf(cluster.node(1).connector().deliveries(), msgId))
                  .containsExactlyInAnyOrderElementsOf(first);
              assertThat(regIdsOf(cluster.node(2).connector().deliveries(), msgId))
                  .containsExactlyInAnyOrderElementsOf(second);
            });
    // One call per node for a push's targets on that node.
    assertThat(cluster.node(1).connector().batches().stream().filter(b -> b.get(0).getMsgId().equals(msgId)))
        .singleElement()
        .satisfies(batch -> assertThat(batch).hasSize(3));
  }

  @Test
  void aBurstOfPushesToOneDeviceArrivesInOrder() {
    String[] app = cluster.createApp("push-order");
    String regId = cluster.registerDevice(app);
    cluster.connect(app[0], regId, cluster.node(1));
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Answer pushed = cluster.http.post(api + "/v1/push", push(List.of(regId), "m" + i, 60), app);
      sent.add(pushed.json().get("msg_id").asText());
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(cluster.node(1).connector().deliveriesTo(regId).stream().map(Delivery::getMsgId).toList())
                    .containsExactlyElementsOf(sent));
  }

  @Test
  void anUnreachableNodeLeavesItsMessagesPendingAndOthersUnaffected() {
    String[] app = cluster.createApp("push-dead-node");
    String stranded = cluster.registerDevice(app);
    String fine = cluster.registerDevice(app);
    cluster.stores.routes().put(
        new Route(stranded, app[0], "dead-node", "127.0.0.1", 1, System.currentTimeMillis()), Duration.ofMinutes(1));
    cluster.connect(app[0], fine, cluster.node(1));

    Answer pushed = cluster.http.post(api + "/v1/push", push(List.of(stranded, fine), "x", 60), app);

    assertThat(pushed.status()).isEqualTo(200);
    assertThat(pushed.json().get("accepted").asInt()).isEqualTo(2);
    String msgId = pushed.json().get("msg_id").asText();
    await().atMost(Duration.ofSeconds(10)).until(() -> !cluster.node(1).connector().deliveriesTo(fine).isEmpty());
    assertThat(cluster.stores.messages().pending(stranded, 10)).containsExactly(msgId);
  }

  @Test
  void aliasesTargetTheAppsDevicesWithThatAlias() {
    String[] app = cluster.createApp("push-alias");
    String[] other = cluster.createApp("push-alias-other");
    JsonNode bob = cluster.registerDevice(app, Map.of("platform", "android", "alias", "bob"));
    JsonNode othersBob = cluster.registerDevice(other, Map.of("platform", "android", "alias", "bob"));

    Answer pushed =
        cluster.http.post(
            api + "/v1/push",
            Map.of("audience", Map.of("aliases", List.of("bob", "nobody")), "alert", "hey bob"),
            app);

    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
    assertThat(pushed.json().get("accepted").asInt()).isEqualTo(1);
    assertThat(pushed.json().get("unknown_aliases").get(0).asText()).isEqualTo("nobody");
    String msgId = pushed.json().get("msg_id").asText();
    assertThat(cluster.stores.messages().pending(bob.get("reg_id").asText(), 10)).contains(msgId);
    assertThat(cluster.stores.messages().pending(othersBob.get("reg_id").asText(), 10)).doesNotContain(msgId);
  }

  // --- isolation between apps ---------------------------------------------------------------------------------

  @Test
  void anAppCannotReachAnotherAppsDevicesOrMessages() {
    String[] a = cluster.createApp("tenant-a");
    String[] b = cluster.createApp("tenant-b");
    String aDevice = cluster.registerDevice(a);
    String bDevice = cluster.registerDevice(b);
    cluster.connect(a[0], aDevice, cluster.node(1));
    String aMessage =
        cluster.http.post(api + "/v1/push", push(List.of(aDevice), "for a", 60), a).json().get("msg_id").asText();

    Answer onlyForeign = cluster.http.post(api + "/v1/push", push(List.of(aDevice), "from b", 60), b);
    assertThat(onlyForeign.status()).isEqualTo(404);
    assertThat(onlyForeign.error()).isEqualTo("unknown_audience");
    assertThat(onlyForeign.message()).contains(aDevice);

    Answer mixed = cluster.http.post(api + "/v1/push", push(List.of(bDevice, aDevice), "from b", 60), b);
    assertThat(mixed.status()).isEqualTo(200);
    assertThat(mixed.json().get("accepted").asInt()).isEqualTo(1);
    assertThat(mixed.json().get("unknown_reg_ids").get(0).asText()).isEqualTo(aDevice);
    assertThat(cluster.stores.messages().pending(aDevice, 10)).containsExactly(aMessage);

    assertThat(cluster.http.get(api + "/v1/devices/" + aDevice, b).status()).isEqualTo(404);
    assertThat(cluster.http.put(api + "/v1/devices/" + aDevice, Map.of("alias", "x"), b).status()).isEqualTo(404);
    assertThat(cluster.http.delete(api + "/v1/devices/" + aDevice, b).status()).isEqualTo(404);
    assertThat(cluster.http.get(api + "/v1/route?reg_id=" + aDevice, b).status()).isEqualTo(404);
    assertThat(cluster.http.get(api + "/v1/messages/" + aMessage, b).status()).isEqualTo(404);
    assertThat(cluster.http.get(api + "/v1/messages/" + aMessage, a).status()).isEqualTo(200);
    assertThat(cluster.stores.devices().find(a[0], aDevice)).isPresent();
  }

  // --- validation and errors ----------------------------------------------------------------------------------

  @Test
  void everyBadPushFieldIsRefusedByName() {
    String[] app = cluster.createApp("push-fields");
    String regId = cluster.registerDevice(app);
    String ids = "{\"reg_ids\":[\"" + regId + "\"]}";
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("{\"alert\":\"x\"}", "audience");
    cases.put("{\"audience\":null,\"alert\":\"x\"}", "audience");
    cases.put("{\"audience\":\"everyone\",\"alert\":\"x\"}", "audience");
    cases.put("{\"audience\":[],\"alert\":\"x\"}", "audience");
    cases.put("{\"audience\":{},\"alert\":\"x\"}", "audience");
    cases.put("{\"audience\":{\"all\":false},\"alert\":\"x\"}", "audience");
    cases.put("{\"audience\":{\"all\":\"yes\"},\"alert\":\"x\"}", "audience.all");
    cases.put("{\"audience\":{\"segment\":[\"a\"]},\"alert\":\"x\"}", "audience.segment");
    cases.put("{\"audience\":{\"tags\":[]},\"alert\":\"x\"}", "audience.tags");
    cases.put(
        "{\"audience\":{\"tags\":" + json(IntStream.range(0, 101).mapToObj(i -> "t" + i).toList())
            + "},\"alert\":\"x\"}",
        "audience.tags");
    cases.put("{\"audience\":{\"tags\":[\"a\\nb\"]},\"alert\":\"x\"}", "audience.tags[0]");
    cases.put(
        "{\"audience\":{\"aliases\":" + json(IntStream.range(0, 1001).mapToObj(i -> "a" + i).toList())
            + "},\"alert\":\"x\"}",
        "audience.aliases");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"platform\":\"windows\"}", "platform");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"platform\":[]}", "platform");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"platform\":[\"ios\",3]}", "platform");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"ttl\":1.5}", "ttl");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"ttl\":604801}", "ttl");
    cases.put("{\"audience\":" + ids + ",\"alert\":7}", "alert");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"priority\":1}", "priority");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"ios\":\"loud\"}", "ios");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"ios\":{\"badge\":\"1\"}}", "ios.badge");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"ios\":{\"badge\":-1}}", "ios.badge");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"ios\":{\"sound\":1}}", "ios.sound");
    cases.put(
        "{\"audience\":" + ids + ",\"alert\":\"x\",\"ios\":{\"production\":\"yes\"}}", "ios.production");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"ios\":{\"volume\":1}}", "ios.volume");
    cases.put(
        "{\"audience\":" + ids + ",\"alert\":\"x\",\"ios\":{\"extras\":{\"k\":1}}}", "ios.extras.k");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"android\":{\"extras\":[]}}", "android.extras");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"android\":{\"channel\":\"c\"}}", "android.channel");
    cases.put("{\"audience\":{\"reg_ids\":[]},\"alert\":\"x\"}", "audience.reg_ids");
    cases.put("{\"audience\":{\"reg_ids\":\"" + regId + "\"},\"alert\":\"x\"}", "audience.reg_ids");
    cases.put("{\"audience\":{\"reg_ids\":[\"\"]},\"alert\":\"x\"}", "audience.reg_ids[0]");
    cases.put("{\"audience\":{\"reg_ids\":[\"" + regId + "\",7]},\"alert\":\"x\"}", "audience.reg_ids[1]");
    cases.put(
        "{\"audience\":{\"reg_ids\":" + json(IntStream.range(0, 1001).mapToObj(i -> "r" + i).toList())
            + "},\"alert\":\"x\"}",
        "audience.reg_ids");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"ttl\":-1}", "ttl");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"ttl\":\"soon\"}", "ttl");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"" + "a".repeat(257) + "\"}", "alert");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"title\":\"" + "t".repeat(257) + "\"}", "title");
    cases.put("{\"audience\":" + ids + "}", "message");
    cases.put("{\"audience\":" + ids + ",\"message\":null}", "message");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"extras\":{\"k\":{\"nested\":1}}}", "extras.k");
    cases.put("{\"audience\":" + ids + ",\"alert\":\"x\",\"extras\":[1]}", "extras");

    cases.forEach(
        (body, field) -> assertBadField(cluster.http.post(api + "/v1/push", body, app), field));
    // The limits themselves are accepted.
    assertThat(
            cluster.http.post(
                    api + "/v1/push",
                    "{\"audience\":" + ids + ",\"alert\":\"" + "a".repeat(256) + "\",\"ttl\":604800}",
                    app)
                .status())
        .isEqualTo(200);
  }

  @Test
  void malformedJsonIsBadJson() {
    String[] app = cluster.createApp("bad-json");
    Answer answer = cluster.http.post(api + "/v1/push", "{\"audience\":", app);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error()).isEqualTo("bad_json");
    assertThat(cluster.http.post(api + "/v1/push", "", app).error()).isEqualTo("bad_json");
  }

  @Test
  void payloadOverTheLimitIs413() {
    String[] app = cluster.createApp("big");
    String regId = cluster.registerDevice(app);
    String at = "{\"audience\":{\"reg_ids\":[\"" + regId + "\"]},\"message\":\"";
    // A JSON string of n characters serializes to n + 2 bytes.
    Answer fits = cluster.http.post(api + "/v1/push", at + "x".repeat(4094) + "\"}", app);
    assertThat(fits.status()).as(fits.toString()).isEqualTo(200);

    Answer tooBig = cluster.http.post(api + "/v1/push", at + "x".repeat(4095) + "\"}", app);

    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(tooBig.error()).isEqualTo("payload_too_large");
    assertThat(tooBig.message()).startsWith("message");
  }

  @Test
  void requestBodiesOverTheLimitAre413BeforeBeingRead() {
    String[] app = cluster.createApp("huge");
    String huge = "{\"audience\":{\"reg_ids\":[\"x\"]},\"message\":\"" + "x".repeat(70_000) + "\"}";

    Answer declared = cluster.http.post(api + "/v1/push", huge, app);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.error()).isEqualTo("request_too_large");

    Answer chunked = cluster.http.postChunked(api + "/v1/push", huge.getBytes(StandardCharsets.UTF_8), app);
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(chunked.error()).isEqualTo("request_too_large");
  }

  @Test
  void wrongMethodsAndUnknownPathsAnswerJson() {
    String[] app = cluster.createApp("paths");
    Answer method = cluster.http.delete(api + "/v1/push", app);
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.error()).isEqualTo("method_not_allowed");
    assertThat(method.header("Allow")).contains("POST");

    Answer unknown = cluster.http.get(api + "/v1/nothing-here", app);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).isEqualTo("not_found");
    assertThat(cluster.http.get(api + "/nothing/at/all").error()).isEqualTo("not_found");
    assertThat(cluster.http.get(api + "/v1/messages/not-a-message-id", app).status()).isEqualTo(404);
    assertThat(cluster.http.get(api + "/v1/messages/0123456789abcdef0123456789abcdef", app).status())
        .isEqualTo(404);
  }

  @Test
  void theOpenApiDocumentIsServedOnThePublicListener() {
    Answer docs = cluster.http.get(api + "/v3/api-docs");
    assertThat(docs.status()).as(docs.toString()).isEqualTo(200);
    assertThat(docs.json().get("openapi").asText()).startsWith("3.");
    assertThat(docs.json().get("paths").has("/v1/push")).isTrue();
    assertThat(docs.json().get("paths").has("/v1/devices/{regId}")).isTrue();
    assertThat(docs.json().toString()).doesNotContain("AuthenticatedApp");
  }

  // --- helpers ------------------------------------------------------------------------------------------------

  private static void assertBadField(Answer answer, String field) {
    assertThat(answer.status()).as("%s for %s", answer, field).isEqualTo(400);
    assertThat(answer.error()).as(answer.toString()).isIn("invalid_field", "bad_json");
    assertThat(answer.message()).as(answer.toString()).startsWith(field + ": ");
  }

  private static Map<String, Object> push(List<String> regIds, String alert, Integer ttl) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("audience", Map.of("reg_ids", regIds));
    body.put("alert", alert);
    if (ttl != null) {
      body.put("ttl", ttl);
    }
    return body;
  }

  private static Delivery firstDelivery(int node, String regId) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.node(node).connector().deliveriesTo(regId), d -> !d.isEmpty())
        .get(0);
  }

  private static List<String> regIdsOf(List<Delivery> deliveries, String msgId) {
    return deliveries.stream().filter(d -> d.getMsgId().equals(msgId)).map(Delivery::getRegId).toList();
  }

  private static String json(List<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
  }
}
