package io.universepush.store.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The directory's tests against a three-server ensemble (curator-test's {@link TestingCluster}), connected through
 * the ensemble's connect string as production is, plus the loss of one server.
 */
class ZooKeeperEnsembleNodeDirectoryTest extends ZooKeeperNodeDirectoryTest {
  private static TestingCluster ensemble;

  // Same names as the superclass's: they hide them, so no single server is started for this class.
  @BeforeAll
  static void startZooKeeper() {
    ensemble = new TestingCluster(3);
    try {
      ensemble.start();
    } catch (Exception e) {
      throw new IllegalStateException("ZooKeeper ensemble did not start", e);
    }
  }

  @AfterAll
  static void stopZooKeeper() {
    try {
      ensemble.close();
    } catch (IOException e) {
      throw new IllegalStateException("ZooKeeper ensemble did not stop", e);
    }
  }

  @Override
  String connectString() {
    return ensemble.getConnectString();
  }

  @Test
  void connectStringNamesEveryServer() {
    assertThat(connectString().split(",")).hasSize(3);
  }

  @Test
  void registrationsOutliveTheLossOfOneServer() throws Exception {
    String prefix = uniqueId();
    try (ZooKeeperNodeDirectory connectors = ZooKeeperNodeDirectory.connect(connectString())) {
      ConnectorNode before = node(prefix + "-a", 1, 1);
      connectors.register(before);
      await().atMost(WAIT).until(() -> observer.find(before.nodeId()).isPresent());

      // Quorum stays (2 of 3); clients of the lost server move to another one within their session timeout, so
      // ephemeral registrations stay and new ones are seen.
      InstanceSpec lost = ensemble.getInstances().iterator().next();
      ensemble.killServer(lost);
      try {
        ConnectorNode after = node(prefix + "-b", 1, 1);
        await().atMost(WAIT.multipliedBy(2)).ignoreExceptions().untilAsserted(() -> connectors.register(after));

        await()
            .atMost(WAIT.multipliedBy(2))
            .untilAsserted(() -> assertThat(mine(observer.liveNodes(), prefix)).containsExactly(before, after));
      } finally {
        ensemble.restartServer(lost);
      }
    }
  }
}
