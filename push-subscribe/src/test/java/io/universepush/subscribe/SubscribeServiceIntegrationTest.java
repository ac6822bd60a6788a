package io.universepush.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.universepush.embedded.EmbeddedRedis;
import io.universepush.embedded.EmbeddedZooKeeper;
import io.universepush.rpc.subscribe.AuthOutcome;
import io.universepush.rpc.subscribe.AuthResult;
import io.universepush.rpc.subscribe.DeviceCredentials;
import io.universepush.rpc.subscribe.ConnectorEndpoint;
import io.universepush.rpc.subscribe.LegacySubscription;
import io.universepush.rpc.subscribe.RegisterRequest;
import io.universepush.rpc.subscribe.Registration;
import io.universepush.rpc.subscribe.SubscribeService;
import io.universepush.store.node.ConnectorNode;
import io.universepush.store.node.ZooKeeperNodeDirectory;
import io.universepush.store.redis.RedisStores;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real push-subscribe application, called by a separate Dubbo consumer application through the ZooKeeper
 * registry, over embedded ZooKeeper and Redis.
 */
class SubscribeServiceIntegrationTest {
  private static EmbeddedZooKeeper zookeeper;
  private static EmbeddedRedis redis;
  private static ConfigurableApplicationContext subscribe;
  private static DubboTestClient client;
  private static SubscribeService service;
  private static RedisStores stores;
  private static ZooKeeperNodeDirectory connectorDirectory;
  private static String appId;

  @BeforeAll
  static void startCluster() {
    zookeeper = EmbeddedZooKeeper.start(0);
    redis = EmbeddedRedis.start(0);
    subscribe = SubscribeTestApplications.start(zookeeper, redis.address());
    client = new DubboTestClient("subscribe-test-consumer", zookeeper.connectString());
    var reference = client.reference(SubscribeService.class);
    client.start();
    service = reference.get();
    stores = RedisStores.connect(redis.address(), "up:");
    connectorDirectory = ZooKeeperNodeDirectory.connect(zookeeper.connectString());
    appId = stores.apps().create("subscribe-test").app().appId();
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) client.close();
    if (subscribe != null) subscribe.close();
    if (connectorDirectory != null) connectorDirectory.close();
    if (stores != null) stores.close();
    if (redis != null) redis.close();
    if (zookeeper != null) zookeeper.close();
  }

  @Test
  void batchAuthenticationAnswersEachDeviceOnItsOwnInOrder() {
    Registration first = service.register(new RegisterRequest(appId, "android", null, Set.of()));
    Registration second = service.register(new RegisterRequest(appId, "ios", null, Set.of()));

    List<AuthResult> results =
        service.authenticateAll(
            List.of(
                new DeviceCredentials(appId, first.getRegId(), first.getToken()),
                new DeviceCredentials(appId, second.getRegId(), first.getToken()),
                new DeviceCredentials("no-such-app", first.getRegId(), first.getToken()),
                new DeviceCredentials(appId, "no-such-device", "x"),
                new DeviceCredentials(appId, second.getRegId(), second.getToken())));

    assertThat(results)
        .extracting(AuthResult::getOutcome)
        .containsExactly(
            AuthOutcome.ACCEPTED,
            AuthOutcome.BAD_TOKEN,
            AuthOutcome.UNKNOWN_APP,
            AuthOutcome.UNKNOWN_DEVICE,
            AuthOutcome.ACCEPTED);
    assertThat(results.get(0).getPlatform()).isEqualTo("android");
    assertThat(results.get(4).getPlatform()).isEqualTo("ios");
    assertThat(results.get(0).getRegisteredAtMs()).isPositive();
  }

  @Test
  void batchLegacySubscriptionGivesEachUidItsOwnStableToken() {
    List<LegacySubscription> once = service.subscribeLegacyAll(List.of("batch-a", "batch-b", "batch-a", "x".repeat(10_000)));
    List<LegacySubscription> again = service.subscribeLegacyAll(List.of("batch-b", "batch-a"));

    assertThat(once.get(0).getToken()).isEqualTo(once.get(2).getToken()).isEqualTo(again.get(1).getToken());
    assertThat(once.get(1).getToken()).isEqualTo(again.get(0).getToken()).isNotEqualTo(once.get(0).getToken());
    assertThat(once.get(3)).isNull();
    assertThat(service.subscribeLegacy("batch-a").getToken()).isEqualTo(once.get(0).getToken());
    assertThat(service.resolveLegacyToken(once.get(1).getToken())).isEqualTo(once.get(1).getRegId());
  }

  @Test
  void registeredDeviceAuthenticatesWithItsTokenOnly() {
    Registration registration =
        service.register(new RegisterRequest(appId, "android", "alice@example.com", Set.of("news", "sports")));

    assertThat(registration.getAppId()).isEqualTo(appId);
    assertThat(registration.getRegId()).isNotBlank();
    assertThat(registration.getToken()).hasSizeGreaterThanOrEqualTo(22);
    var accepted = service.authenticate(appId, registration.getRegId(), registration.getToken());
    assertThat(accepted.getOutcome()).isEqualTo(AuthOutcome.ACCEPTED);
    assertThat(accepted.getPlatform()).isEqualTo("android");
    assertThat(service.authenticate(appId, registration.getRegId(), registration.getToken() + "x").getOutcome())
        .isEqualTo(AuthOutcome.BAD_TOKEN);
    assertThat(service.authenticate(appId, registration.getRegId(), null).getOutcome())
        .isEqualTo(AuthOutcome.BAD_TOKEN);
    assertThat(service.authenticate(appId, "no-such-device", registration.getToken()).getOutcome())
        .isEqualTo(AuthOutcome.UNKNOWN_DEVICE);
    assertThat(service.authenticate("no-such-app", registration.getRegId(), registration.getToken()).getOutcome())
        .isEqualTo(AuthOutcome.UNKNOWN_APP);
  }

  @Test
  void aDeviceOfAnotherAppIsUnknown() {
    String otherApp = stores.apps().create("other").app().appId();
    Registration registration = service.register(new RegisterRequest(appId, "ios", null, null));

    assertThat(service.authenticate(otherApp, registration.getRegId(), registration.getToken()).getOutcome())
        .isEqualTo(AuthOutcome.UNKNOWN_DEVICE);
  }

  @Test
  void platformIsNormalisedAndStored() {
    Registration registration = service.register(new RegisterRequest(appId, " Web ", null, Set.of()));

    assertThat(stores.devices().find(appId, registration.getRegId()))
        .hasValueSatisfying(
            device -> {
              assertThat(device.platform()).isEqualTo("web");
              assertThat(device.alias()).isNull();
              assertThat(device.tags()).isEmpty();
            });
  }

  @Test
  void invalidFieldsAreRefusedWithAMessageNamingThem() {
    assertThatThrownBy(() -> service.register(new RegisterRequest(appId, "symbian", null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("platform");
    assertThatThrownBy(() -> service.register(new RegisterRequest(appId, "android", "has space", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alias");
    assertThatThrownBy(() -> service.register(new RegisterRequest(appId, "android", "a".repeat(65), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alias");
    assertThatThrownBy(() -> service.register(new RegisterRequest(appId, "android", null, Set.of("ok", "bad/tag"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tags")
        .hasMessageContaining("bad/tag");
    Set<String> tooMany = IntStream.range(0, 101).mapToObj(i -> "t" + i).collect(Collectors.toSet());
    assertThatThrownBy(() -> service.register(new RegisterRequest(appId, "android", null, tooMany)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 100");
    assertThatThrownBy(() -> service.register(new RegisterRequest("no-such-app", "android", null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown app");
  }

  @Test
  void longestValidValuesAreAccepted() {
    Set<String> hundredTags = new LinkedHashSet<>();
    IntStream.range(0, 100).forEach(i -> hundredTags.add("tag-" + i + ":x@y.z_" + "a".repeat(40)));
    Registration registration =
        service.register(new RegisterRequest(appId, "other", "A-z_0.9@x:y" + "b".repeat(53), hundredTags));

    assertThat(stores.devices().find(appId, registration.getRegId()))
        .hasValueSatisfying(device -> assertThat(device.tags()).hasSize(100));
  }

  @Test
  void routeListsLiveConnectorsLeastLoadedFirst() {
    ConnectorNode busy = node("route-busy", 900, 1);
    ConnectorNode idle = node("route-idle", 10, 1);
    ConnectorNode heavyButWeighted = node("route-weighted", 400, 4);
    connectorDirectory.register(busy);
    connectorDirectory.register(idle);
    connectorDirectory.register(heavyButWeighted);
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(nodeIds(service.route(appId, "any")))
                      .containsSubsequence("route-idle", "route-weighted", "route-busy"));
      ConnectorEndpoint first =
          service.route(appId, "any").stream()
              .filter(e -> e.getNodeId().startsWith("route-"))
              .findFirst()
              .orElseThrow();
      assertThat(first.getHost()).isEqualTo("127.0.0.1");
      assertThat(first.getTcpPort()).isEqualTo(idle.tcpPort());
      assertThat(first.getWsPort()).isEqualTo(idle.wsPort());
      assertThat(first.getMqttPort()).isEqualTo(idle.mqttPort());
      assertThat(first.getTlsPort()).isEqualTo(idle.tlsPort()).isPositive();
      assertThat(first.getConnections()).isEqualTo(10);

      connectorDirectory.update(node("route-busy", 0, 1));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(nodeIds(service.route(appId, "any")))
                      .containsSubsequence("route-busy", "route-idle", "route-weighted"));
    } finally {
      connectorDirectory.unregister("route-busy");
      connectorDirectory.unregister("route-idle");
      connectorDirectory.unregister("route-weighted");
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(nodeIds(service.route(appId, "any"))).noneMatch(id -> id.startsWith("route-")));
  }

  @Test
  void legacyUidKeepsItsTokenAndTheTokenResolves() {
    LegacySubscription first = service.subscribeLegacy("phone-42");
    LegacySubscription again = service.subscribeLegacy("phone-42");

    assertThat(first.getAppId()).isEqualTo("legacy");
    assertThat(again.getRegId()).isEqualTo(first.getRegId());
    assertThat(again.getToken()).isEqualTo(first.getToken());
    assertThat(service.resolveLegacyToken(first.getToken())).isEqualTo(first.getRegId());
    assertThat(service.authenticate("legacy", first.getRegId(), first.getToken()).getOutcome())
        .isEqualTo(AuthOutcome.ACCEPTED);
    assertThat(service.resolveLegacyToken("unknown-token")).isNull();
    assertThat(service.resolveLegacyToken("")).isNull();
    assertThat(service.resolveLegacyToken(null)).isNull();
  }

  @Test
  void emptyLegacyUidGetsAFreshDeviceEachTime() {
    LegacySubscription first = service.subscribeLegacy("");
    LegacySubscription second = service.subscribeLegacy(null);

    assertThat(first.getRegId()).isNotEqualTo(second.getRegId());
    assertThat(service.resolveLegacyToken(second.getToken())).isEqualTo(second.getRegId());
  }

  @Test
  void overlongLegacyUidIsRefused() {
    assertThat(service.subscribeLegacy("u".repeat(128)).getToken()).isNotBlank();
    assertThatThrownBy(() -> service.subscribeLegacy("u".repeat(129)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("128");
  }

  private static List<String> nodeIds(List<ConnectorEndpoint> endpoints) {
    return endpoints.stream().map(ConnectorEndpoint::getNodeId).toList();
  }

  private static ConnectorNode node(String id, int connections, int weight) {
    int base = 20000 + Math.abs(id.hashCode() % 10000);
    return new ConnectorNode(
        id, "127.0.0.1", base, base + 1, base + 2, base + 3, connections, weight, System.currentTimeMillis(),
        base + 4);
  }
}
