package io.universepush.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.store.route.Route;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisRouteStoreTest extends RedisTestServer {
  private static final Duration TTL = Duration.ofMinutes(5);

  private String prefix;
  private RedisRouteStore routes;

  @BeforeEach
  void setUp() {
    prefix = uniquePrefix();
    routes = new RedisRouteStore(redisson, prefix);
  }

  @Test
  void putRouteIsFoundAndCountedForItsNode() {
    Route route = route("reg-1", "node-a");

    assertThat(routes.put(route, TTL)).isEmpty();

    assertThat(routes.find("reg-1")).contains(route);
    assertThat(routes.countByNode("node-a")).isEqualTo(1);
    assertThat(routes.find("reg-unknown")).isEmpty();
  }

  @Test
  void reconnectOnTheSameNodeReplacesNothingOfAnotherNode() {
    routes.put(route("reg-1", "node-a"), TTL);

    assertThat(routes.put(route("reg-1", "node-a"), TTL)).isEmpty();
    assertThat(routes.countByNode("node-a")).isEqualTo(1);
  }

  @Test
  void takeoverReturnsThePreviousRouteAndMovesTheDevice() {
    Route old = route("reg-1", "node-a");
    routes.put(old, TTL);
    Route taken = route("reg-1", "node-b");

    assertThat(routes.put(taken, TTL)).contains(old);

    assertThat(routes.find("reg-1")).contains(taken);
    assertThat(routes.countByNode("node-a")).isZero();
    assertThat(routes.countByNode("node-b")).isEqualTo(1);
  }

  @Test
  void putAllWritesEveryRouteAndReturnsTheOnesItTookOver() {
    Route old = route("reg-2", "node-a");
    routes.put(old, TTL);
    List<Route> batch = List.of(route("reg-1", "node-b"), route("reg-2", "node-b"), route("reg-3", "node-b"));

    List<java.util.Optional<Route>> replaced = routes.putAll(batch, TTL);

    assertThat(replaced).containsExactly(java.util.Optional.empty(), java.util.Optional.of(old), java.util.Optional.empty());
    assertThat(routes.findAll(List.of("reg-1", "reg-2", "reg-3")).values()).containsExactlyInAnyOrderElementsOf(batch);
    assertThat(routes.countByNode("node-b")).isEqualTo(3);
    assertThat(routes.countByNode("node-a")).isZero();
  }

  @Test
  void renewAndRemoveOnlyActForTheNodeHoldingTheRoute() {
    routes.put(route("reg-1", "node-a"), TTL);
    routes.put(route("reg-1", "node-b"), TTL);

    assertThat(routes.renew("reg-1", "node-a", TTL)).isFalse();
    assertThat(routes.remove("reg-1", "node-a")).isFalse();
    assertThat(routes.find("reg-1")).map(Route::nodeId).contains("node-b");

    assertThat(routes.renew("reg-1", "node-b", TTL)).isTrue();
    assertThat(routes.remove("reg-1", "node-b")).isTrue();
    assertThat(routes.find("reg-1")).isEmpty();
    assertThat(routes.remove("reg-1", "node-b")).isFalse();
    assertThat(routes.renew("reg-1", "node-b", TTL)).isFalse();
    assertThat(routes.countByNode("node-b")).isZero();
  }

  @Test
  void unrenewedRouteExpiresAndStopsCounting() {
    routes.put(route("reg-short", "node-a"), Duration.ofMillis(300));
    routes.put(route("reg-long", "node-a"), TTL);

    await().atMost(Duration.ofSeconds(5)).until(() -> routes.find("reg-short").isEmpty());
    await().atMost(Duration.ofSeconds(5)).until(() -> routes.countByNode("node-a") == 1);
    assertThat(routes.renew("reg-short", "node-a", TTL)).isFalse();
  }

  @Test
  void renewalKeepsARouteAlive() {
    routes.put(route("reg-1", "node-a"), Duration.ofMillis(200));

    assertThat(routes.renew("reg-1", "node-a", TTL)).isTrue();

    long ttlMs = redisson.getMap(new RedisKeys(prefix).route("reg-1")).remainTimeToLive();
    assertThat(ttlMs).isGreaterThan(Duration.ofMinutes(4).toMillis());
  }

  @Test
  void findAllReturnsOnlyOnlineDevices() {
    Route one = route("reg-1", "node-a");
    Route two = route("reg-2", "node-b");
    routes.put(one, TTL);
    routes.put(two, TTL);

    assertThat(routes.findAll(List.of("reg-1", "reg-offline", "reg-2")))
        .containsOnlyKeys("reg-1", "reg-2")
        .containsEntry("reg-1", one)
        .containsEntry("reg-2", two);
    assertThat(routes.findAll(List.of())).isEmpty();
  }

  @Test
  void removeAllOfNodeSparesRoutesTakenOverByOthers() {
    for (int i = 0; i < 1200; i++) {
      routes.put(route("reg-" + i, "node-dead"), TTL);
    }
    routes.put(route("reg-0", "node-alive"), TTL);
    routes.put(route("reg-x", "node-alive"), TTL);

    assertThat(routes.removeAllOfNode("node-dead")).isEqualTo(1199);

    assertThat(routes.find("reg-1")).isEmpty();
    assertThat(routes.find("reg-0")).map(Route::nodeId).contains("node-alive");
    assertThat(routes.countByNode("node-dead")).isZero();
    assertThat(routes.countByNode("node-alive")).isEqualTo(2);
    assertThat(routes.removeAllOfNode("node-dead")).isZero();
  }

  @Test
  void lastSeenFollowsPutsRenewalsAndRemovalsAndOutlivesTheRoute() {
    assertThat(routes.lastSeen("reg-1")).isEmpty();

    long beforePut = System.currentTimeMillis();
    routes.put(route("reg-1", "node-a"), TTL);
    assertThat(routes.lastSeen("reg-1").orElseThrow()).isBetween(beforePut, System.currentTimeMillis());

    long beforeRenewal = nextMillisecond();
    routes.renew("reg-1", "node-a", TTL);
    assertThat(routes.lastSeen("reg-1").orElseThrow()).isBetween(beforeRenewal, System.currentTimeMillis());

    long renewed = routes.lastSeen("reg-1").orElseThrow();
    nextMillisecond();
    assertThat(routes.renew("reg-1", "node-other", TTL)).isFalse();
    assertThat(routes.lastSeen("reg-1")).hasValue(renewed);

    long beforeRemoval = nextMillisecond();
    routes.remove("reg-1", "node-a");
    assertThat(routes.find("reg-1")).isEmpty();
    assertThat(routes.lastSeen("reg-1").orElseThrow()).isBetween(beforeRemoval, System.currentTimeMillis());

    routes.put(route("reg-2", "node-dying"), TTL);
    long beforeNodeRemoval = nextMillisecond();
    routes.removeAllOfNode("node-dying");
    assertThat(routes.lastSeen("reg-2").orElseThrow()).isBetween(beforeNodeRemoval, System.currentTimeMillis());
  }

  /** Waits for the clock to tick, so that "after" is observable in millisecond timestamps. */
  private static long nextMillisecond() {
    long now = System.currentTimeMillis();
    await().until(() -> System.currentTimeMillis() > now);
    return System.currentTimeMillis();
  }

  private static Route route(String regId, String nodeId) {
    return new Route(regId, "0123456789abcdef", nodeId, "10.0.0.1", 7461, 1_700_000_000_000L);
  }
}
