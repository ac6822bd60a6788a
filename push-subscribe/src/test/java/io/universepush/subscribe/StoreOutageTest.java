package io.universepush.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.universepush.embedded.EmbeddedRedis;
import io.universepush.embedded.EmbeddedZooKeeper;
import io.universepush.rpc.subscribe.AuthOutcome;
import io.universepush.rpc.subscribe.SubscribeService;
import io.universepush.store.redis.RedisStores;
import java.time.Duration;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Redis going away: callers get an RpcException ("store unavailable"), and service resumes when Redis is back. */
class StoreOutageTest {
  private static EmbeddedZooKeeper zookeeper;
  private static EmbeddedRedis redis;
  private static ConfigurableApplicationContext subscribe;
  private static DubboTestClient client;
  private static SubscribeService service;

  @BeforeAll
  static void start() {
    zookeeper = EmbeddedZooKeeper.start(0);
    redis = EmbeddedRedis.start(0);
    subscribe = SubscribeTestApplications.start(zookeeper, redis.address());
    client = new DubboTestClient("outage-test-consumer", zookeeper.connectString());
    var reference = client.reference(SubscribeService.class);
    client.start();
    service = reference.get();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (subscribe != null) subscribe.close();
    if (redis != null) redis.close();
    if (zookeeper != null) zookeeper.close();
  }

  @Test
  void redisOutageIsReportedAsRpcExceptionAndServiceRecovers() {
    String appId;
    try (RedisStores stores = RedisStores.connect(redis.address(), "up:")) {
      appId = stores.apps().create("outage").app().appId();
    }
    assertThat(service.authenticate(appId, "nobody", "t").getOutcome()).isEqualTo(AuthOutcome.UNKNOWN_DEVICE);

    redis.stop();
    try {
      assertThatThrownBy(() -> service.authenticate(appId, "nobody", "t"))
          .isInstanceOf(RpcException.class)
          .hasMessageContaining("store unavailable");
    } finally {
      redis.restart();
    }

    // Redis lost its data (no persistence): the app is gone, but the service answers again.
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(service.authenticate(appId, "nobody", "t").getOutcome())
                    .isEqualTo(AuthOutcome.UNKNOWN_APP));
  }
}
