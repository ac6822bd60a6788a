package io.universepush.store.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.universepush.embedded.EmbeddedZooKeeper;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZooKeeperNodeDirectoryTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  private static EmbeddedZooKeeper zooKeeper;
  ZooKeeperNodeDirectory observer;

  @BeforeAll
  static void startZooKeeper() {
    zooKeeper = EmbeddedZooKeeper.start(0);
  }

  @AfterAll
  static void stopZooKeeper() {
    zooKeeper.close();
  }

  /** The connect string the tests use; the ensemble subclass names three servers. */
  String connectString() {
    return zooKeeper.connectString();
  }

  @BeforeEach
  void setUp() {
    observer = ZooKeeperNodeDirectory.connect(connectString());
  }

  @AfterEach
  void tearDown() {
    observer.close();
  }

  @Test
  void registeredNodesAreListedLeastLoadedFirst() {
    String prefix = uniqueId();
    try (ZooKeeperNodeDirectory connectors = ZooKeeperNodeDirectory.connect(connectString())) {
      ConnectorNode busy = node(prefix + "-a", 100, 1);
      ConnectorNode idle = node(prefix + "-b", 10, 1);
      ConnectorNode heavyButStrong = node(prefix + "-c", 100, 4);
      ConnectorNode tieWithIdle = node(prefix + "-d", 10, 1);
      for (ConnectorNode node : List.of(busy, idle, heavyButStrong, tieWithIdle)) {
        connectors.register(node);
      }

      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(mine(observer.liveNodes(), prefix))
                      .containsExactly(idle, tieWithIdle, heavyButStrong, busy));
      assertThat(observer.find(idle.nodeId())).contains(idle);
      assertThat(observer.find(prefix + "-unknown")).isEmpty();
    }
  }

  @Test
  void updatePublishesTheNewLoad() {
    String prefix = uniqueId();
    try (ZooKeeperNodeDirectory connectors = ZooKeeperNodeDirectory.connect(connectString())) {
      ConnectorNode first = node(prefix + "-a", 5, 1);
      ConnectorNode second = node(prefix + "-b", 50, 1);
      connectors.register(first);
      connectors.register(second);
      await().atMost(WAIT).until(() -> mine(observer.liveNodes(), prefix).equals(List.of(first, second)));

      ConnectorNode firstBusier = node(prefix + "-a", 500, 1);
      connectors.update(firstBusier);

      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(mine(observer.liveNodes(), prefix)).containsExactly(second, firstBusier));
      assertThat(observer.find(firstBusier.nodeId())).contains(firstBusier);
      assertThatThrownBy(() -> connectors.update(node(prefix + "-never-registered", 1, 1)))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void tlsPortTravelsWithTheNode() {
    String prefix = uniqueId();
    try (ZooKeeperNodeDirectory connectors = ZooKeeperNodeDirectory.connect(connectString())) {
      ConnectorNode withTls =
          new ConnectorNode(prefix + "-a", "127.0.0.1", 6789, 0, 0, 7461, 0, 100, 1_700_000_000_000L, 6790);
      connectors.register(withTls);

      await().atMost(WAIT).untilAsserted(() -> assertThat(observer.find(withTls.nodeId())).contains(withTls));
      assertThat(observer.find(withTls.nodeId()).orElseThrow().tlsPort()).isEqualTo(6790);
      assertThat(node(prefix + "-b", 0, 1).tlsPort()).isZero();
    }
  }

  @Test
  void unregisteredNodeDisappears() {
    String prefix = uniqueId();
    try (ZooKeeperNodeDirectory connectors = ZooKeeperNodeDirectory.connect(connectString())) {
      ConnectorNode node = node(prefix + "-a", 1, 1);
      connectors.register(node);
      await().atMost(WAIT).until(() -> observer.find(node.nodeId()).isPresent());

      connectors.unregister(node.nodeId());

      await().atMost(WAIT).until(() -> observer.find(node.nodeId()).isEmpty());
    }
  }

  @Test
  void nodeDisappearsWhenTheRegisteringSessionEnds() throws Exception {
    String prefix = uniqueId();
    CuratorFramework client =
        CuratorFrameworkFactory.newClient(connectString(), new RetryOneTime(100));
    client.start();
    client.blockUntilConnected();
    ZooKeeperNodeDirectory crashing = ZooKeeperNodeDirectory.using(client);
    ConnectorNode node = node(prefix + "-a", 1, 1);
    crashing.register(node);
    await().atMost(WAIT).until(() -> observer.find(node.nodeId()).isPresent());

    // Closing the client alone ends the session without any explicit unregistration, as a crash would.
    client.close();

    await().atMost(WAIT).until(() -> observer.find(node.nodeId()).isEmpty());
    assertThat(mine(observer.liveNodes(), prefix)).isEmpty();
  }

  @Test
  void closingTheDirectoryRemovesItsNodes() {
    String prefix = uniqueId();
    ZooKeeperNodeDirectory connectors = ZooKeeperNodeDirectory.connect(connectString());
    ConnectorNode node = node(prefix + "-a", 1, 1);
    connectors.register(node);
    await().atMost(WAIT).until(() -> observer.find(node.nodeId()).isPresent());

    connectors.close();

    await().atMost(WAIT).until(() -> observer.find(node.nodeId()).isEmpty());
  }

  static List<ConnectorNode> mine(List<ConnectorNode> nodes, String prefix) {
    return nodes.stream().filter(n -> n.nodeId().startsWith(prefix)).toList();
  }

  static ConnectorNode node(String nodeId, int connections, int weight) {
    return new ConnectorNode(nodeId, "127.0.0.1", 6789, 9326, 1883, 7461, connections, weight, 1_700_000_000_000L);
  }

  static String uniqueId() {
    return "n" + UUID.randomUUID().toString().substring(0, 8);
  }
}
