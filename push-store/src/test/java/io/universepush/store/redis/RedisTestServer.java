package io.universepush.store.redis;

import io.universepush.embedded.EmbeddedRedis;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/** One real Redis and one Redisson client per test class; each test isolates its keys under its own prefix. */
abstract class RedisTestServer {
  static EmbeddedRedis redis;
  static RedissonClient redisson;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.start(0);
    redisson = Redisson.create(RedisStores.singleServerConfig(redis.address()));
  }

  @AfterAll
  static void stopRedis() {
    redisson.shutdown();
    redis.close();
  }

  static String uniquePrefix() {
    return "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }
}
