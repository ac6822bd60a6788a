package io.universepush.store.redis;

import io.universepush.embedded.EmbeddedRedis;
import io.universepush.embedded.EmbeddedRedisCluster;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/**
 * Starts each Redis topology once per test JVM, on first use, with one Redisson client for it. Servers and clients are
 * closed with JUnit's root context, after the last test class, whether tests passed or not; the embedded processes'
 * shutdown hooks cover a JVM that dies before.
 */
final class SharedRedis implements BeforeAllCallback {
  enum Topology {
    SINGLE,
    CLUSTER
  }

  private static final Map<Topology, RedissonClient> CLIENTS = new EnumMap<>(Topology.class);
  private static ExtensionContext.Store rootStore;

  @Override
  public void beforeAll(ExtensionContext context) {
    synchronized (CLIENTS) {
      rootStore = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedRedis.class));
    }
  }

  static RedissonClient client(Topology topology) {
    synchronized (CLIENTS) {
      return CLIENTS.computeIfAbsent(topology, SharedRedis::start);
    }
  }

  private static RedissonClient start(Topology topology) {
    long started = System.nanoTime();
    RedissonClient client;
    AutoCloseable server;
    if (topology == Topology.SINGLE) {
      EmbeddedRedis redis = EmbeddedRedis.start(0);
      server = redis;
      client = Redisson.create(RedisStores.singleServerConfig(redis.address()));
    } else {
      EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3);
      server = cluster;
      client = Redisson.create(RedisStores.clusterConfig(cluster.addresses()));
    }
    rootStore.put(
        topology,
        (ExtensionContext.Store.CloseableResource)
            () -> {
              synchronized (CLIENTS) {
                CLIENTS.remove(topology);
              }
              client.shutdown();
              server.close();
            });
    System.out.printf("Redis %s started in %d ms%n", topology, (System.nanoTime() - started) / 1_000_000);
    return client;
  }
}
