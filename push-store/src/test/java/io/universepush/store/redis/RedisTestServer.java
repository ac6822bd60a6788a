package io.universepush.store.redis;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/**
 * The Redis a store test talks to: a single server, or a three-master Redis Cluster in the {@code *ClusterTest}
 * subclasses. Both are started once per test JVM ({@link SharedRedis}); each test isolates its keys under its own
 * prefix.
 */
@ExtendWith(SharedRedis.class)
abstract class RedisTestServer {
  RedissonClient redisson;

  /** Overridden by the cluster subclasses. */
  SharedRedis.Topology topology() {
    return SharedRedis.Topology.SINGLE;
  }

  @BeforeEach
  void connectRedis() {
    redisson = SharedRedis.client(topology());
  }

  static String uniquePrefix() {
    return "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }
}
