package io.universepush.store.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.universepush.store.spring.RedisProperties.Topology;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisPropertiesTest {

  @Test
  void nothingSetIsTheLocalSingleServer() {
    RedisProperties redis = new RedisProperties(null, null, null, null, "up:");

    assertThat(redis.topology()).isEqualTo(Topology.SINGLE);
    assertThat(redis.address()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(redis.redissonConfig().isClusterConfig()).isFalse();
  }

  @Test
  void clusterNodesSelectRedisClusterAndGetAScheme() {
    RedisProperties redis =
        new RedisProperties(null, List.of("10.0.0.1:7000,10.0.0.2:7000", "rediss://10.0.0.3:7000"), null, null, "up:");

    assertThat(redis.topology()).isEqualTo(Topology.CLUSTER);
    assertThat(redis.clusterNodes())
        .containsExactly("redis://10.0.0.1:7000", "redis://10.0.0.2:7000", "rediss://10.0.0.3:7000");
    assertThat(redis.redissonConfig().isClusterConfig()).isTrue();
  }

  @Test
  void sentinelNeedsTheMasterNameAndTheSentinels() {
    RedisProperties redis =
        new RedisProperties(null, null, "push", List.of("10.0.0.1:26379", "10.0.0.2:26379"), "up:");

    assertThat(redis.topology()).isEqualTo(Topology.SENTINEL);
    assertThat(redis.redissonConfig().isSentinelConfig()).isTrue();
    assertThatThrownBy(() -> new RedisProperties(null, null, "push", null, "up:"))
        .hasMessageContaining("sentinel-addresses");
    assertThatThrownBy(() -> new RedisProperties(null, null, null, List.of("10.0.0.1:26379"), "up:"))
        .hasMessageContaining("sentinel-master");
  }

  @Test
  void aClusterOrSentinelWinsOverTheDefaultAddressOfTheYmlButNotOverEachOther() {
    RedisProperties redis =
        new RedisProperties("redis://127.0.0.1:6379", List.of("10.0.0.1:7000"), null, null, "up:");
    assertThat(redis.topology()).isEqualTo(Topology.CLUSTER);
    assertThat(redis.address()).isNull();

    assertThatThrownBy(
            () -> new RedisProperties(null, List.of("10.0.0.1:7000"), "push", List.of("10.0.0.1:26379"), "up:"))
        .hasMessageContaining("only one of");
  }

  @Test
  void addressesNeedAPortAndPrefixesNoBraces() {
    assertThatThrownBy(() -> new RedisProperties(null, List.of("10.0.0.1"), null, null, "up:"))
        .hasMessageContaining("cluster-nodes");
    assertThatThrownBy(() -> new RedisProperties("http://10.0.0.1:6379", "up:")).hasMessageContaining("address");
    assertThatThrownBy(() -> new RedisProperties(null, "up:{x}:")).hasMessageContaining("braces");
  }

  @Test
  void zooKeeperTakesAnEnsembleAndRefusesAServerWithoutPort() {
    ZooKeeperProperties ensemble =
        new ZooKeeperProperties("zk1:2181,zk2:2181,zk3:2181/push", Duration.ofSeconds(10), Duration.ofSeconds(5));
    assertThat(ensemble.address()).isEqualTo("zk1:2181,zk2:2181,zk3:2181/push");
    assertThatThrownBy(() -> new ZooKeeperProperties("zk1:2181,zk2", Duration.ofSeconds(10), Duration.ofSeconds(5)))
        .hasMessageContaining("zk2");
    assertThatThrownBy(() -> new ZooKeeperProperties("zk1:2181", Duration.ZERO, Duration.ofSeconds(5)))
        .hasMessageContaining("session-timeout");
  }
}
