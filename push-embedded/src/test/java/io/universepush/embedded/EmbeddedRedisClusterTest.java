package io.universepush.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedRedisClusterTest {

  @Test
  void threeMastersServeEverySlotAndStopOnClose() throws Exception {
    List<Integer> ports;
    try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3)) {
      ports = cluster.ports();
      assertThat(ports).hasSize(3);
      for (int port : ports) {
        String info = (String) EmbeddedRedisCluster.command(port, "CLUSTER", "INFO");
        assertThat(info).contains("cluster_state:ok", "cluster_slots_assigned:16384", "cluster_size:3");
      }
      // Keys of one hash tag answer on the slot's owner; the others redirect with MOVED.
      long slot = (Long) EmbeddedRedisCluster.command(ports.get(0), "CLUSTER", "KEYSLOT", "{a}x");
      assertThat(slot).isEqualTo((Long) EmbeddedRedisCluster.command(ports.get(0), "CLUSTER", "KEYSLOT", "{a}y"));
      assertThat(cluster.nodeList()).isEqualTo("127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1)
          + ",127.0.0.1:" + ports.get(2));
    }
    // stop() signals the processes; they exit a moment later.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(ports).noneMatch(EmbeddedRedisClusterTest::isListening));
  }

  private static boolean isListening(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
