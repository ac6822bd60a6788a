package io.universepush.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.universepush.embedded.EmbeddedRedis;
import io.universepush.store.StoreUnavailableException;
import io.universepush.store.message.MessageIds;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.route.Route;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Redis of its own, stopped and restarted by the test. */
class RedisStoresUnavailableTest {
  private static EmbeddedRedis redis;
  private static RedisStores stores;

  @BeforeAll
  static void start() {
    redis = EmbeddedRedis.start(0);
    stores = RedisStores.connect(redis.address(), "up:");
  }

  @AfterAll
  static void stop() {
    stores.close();
    redis.close();
  }

  @Test
  void storesFailWithStoreUnavailableWhileRedisIsDownAndRecoverAfterwards() {
    String appId = stores.apps().create("before outage").app().appId();

    redis.stop();

    assertThatThrownBy(() -> stores.apps().find(appId))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("Redis unavailable");
    assertThatThrownBy(() -> stores.devices().register(appId, "android", null, Set.of()))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> stores.routes().findAll(List.of("reg-1")))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> stores.messages().pending("reg-1", 10))
        .isInstanceOf(StoreUnavailableException.class);

    redis.restart();

    // The restarted server has no data and no cached scripts: scripts, batches and plain commands must all work again.
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreException(StoreUnavailableException.class)
        .until(() -> stores.apps().create("after outage") != null);
    String fresh = stores.apps().create("again").app().appId();
    assertThat(stores.apps().find(fresh)).isPresent();
    StoredMessage message =
        new StoredMessage(
            MessageIds.next(), fresh, new byte[] {1}, null, null, Map.of(), 0, System.currentTimeMillis() + 60_000);
    stores.messages().saveWithPending(message, List.of("reg-1"));
    assertThat(stores.messages().pending("reg-1", 10)).containsExactly(message.msgId());
    assertThat(stores.routes().put(new Route("reg-1", fresh, "node-a", "127.0.0.1", 7461, 0), Duration.ofMinutes(1)))
        .isEmpty();
  }

  @Test
  void connectSucceedsWhileRedisIsDown() {
    EmbeddedRedis down = EmbeddedRedis.start(0);
    String address = down.address();
    down.stop();

    try (RedisStores lazy = RedisStores.connect(address, "up:")) {
      assertThatThrownBy(() -> lazy.apps().list()).isInstanceOf(StoreUnavailableException.class);
    }
  }
}
