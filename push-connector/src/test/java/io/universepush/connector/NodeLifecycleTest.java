package io.universepush.connector;

import static io.universepush.connector.TestClient.binding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.connector.node.LocalNode;
import io.universepush.connector.node.NodeAddress;
import io.universepush.embedded.EmbeddedRedis;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.Frame;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.redis.RedisStores;
import io.universepush.store.node.ZooKeeperNodeDirectory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/** The node in the cluster: registered with its real ports and load, and leaving cleanly on shutdown. */
@ExtendWith(ConnectorCluster.Extension.class)
class NodeLifecycleTest {
  private static ConnectorCluster cluster;
  private static ZooKeeperNodeDirectory directory;

  @BeforeAll
  static void setUp(ConnectorCluster shared) {
    cluster = shared;
    directory = ZooKeeperNodeDirectory.connect(cluster.zookeeperAddress());
  }

  @AfterAll
  static void tearDown() {
    if (directory != null) {
      directory.close();
    }
  }

  @Test
  void nodeIsRegisteredWithItsBoundPortsAndPublishesItsConnectionCount() throws Exception {
    NodeAddress node = cluster.node();
    assertThat(node.tcpPort()).isEqualTo(cluster.tcpPort()).isPositive();
    assertThat(node.dubboPort()).isPositive();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(directory.find(node.nodeId())).hasValueSatisfying(registered -> {
          assertThat(registered.host()).isEqualTo(node.host());
          assertThat(registered.tcpPort()).isEqualTo(node.tcpPort());
          assertThat(registered.dubboPort()).isEqualTo(node.dubboPort());
          assertThat(registered.wsPort()).isEqualTo(node.wsPort()).isPositive();
          assertThat(registered.mqttPort()).isEqualTo(node.mqttPort()).isEqualTo(cluster.mqttPort()).isPositive();
          assertThat(registered.weight()).isEqualTo(100);
        }));

    String appId = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(appId);
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.connectAccepted(binding(appId, device.device().regId(), device.token()));
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(directory.find(node.nodeId()).orElseThrow().connections()).isPositive());
    }
  }

  @Test
  void shutdownUnregistersTheNodeDisconnectsClientsAndRemovesTheirRoutes() throws Exception {
    ConfigurableApplicationContext connector = cluster.startExtraConnector("test-node-shutdown");
    NodeAddress node = connector.getBean(LocalNode.class).address();
    String appId = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (TestClient client = new TestClient(node.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      await().atMost(Duration.ofSeconds(5)).until(() -> cluster.stores().routes().find(regId).isPresent());
      await().atMost(Duration.ofSeconds(5)).until(() -> directory.find(node.nodeId()).isPresent());

      cluster.stopExtraConnector(connector);

      Frame frame = client.readUntil(Signal.DISCONNECT);
      assertThat(frame.subSignal()).isEqualTo(DisconnectReason.SERVER_SHUTDOWN.code());
      assertThat(Disconnect.parseFrom(frame.body()).getReasonCode()).isEqualTo(DisconnectReason.SERVER_SHUTDOWN.code());
      assertThat(client.awaitClosed()).isTrue();
    }
    assertThat(cluster.stores().routes().find(regId)).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> directory.find(node.nodeId()).isEmpty());
  }

  @Test
  void aConnectionItsNodeCannotServeIsRefusedAsUnavailableAndBindsOnceTheStoreIsBack() throws Exception {
    try (EmbeddedRedis nodeRedis = EmbeddedRedis.start(0)) {
      ConfigurableApplicationContext connector = cluster.startExtraConnector("test-node-no-store", nodeRedis.address());
      try {
        int port = connector.getBean(LocalNode.class).address().tcpPort();
        String appId = cluster.newApp();
        DeviceRegistration device = cluster.newDevice(appId);
        String regId = device.device().regId();

        nodeRedis.stop();
        try (TestClient client = new TestClient(port)) {
          // Authentication goes through push-subscribe, which still has its store; the node's own store (the app's
          // fan-out log, the route) is what fails, so the client is told to come back later.
          ConnectAck ack = client.connect(1, binding(appId, regId, device.token()));
          assertThat(ack.getResult()).isEqualTo(ConnectResult.SERVER_UNAVAILABLE.code());
          assertThat(ack.getBindings(0).getReason()).contains("unavailable");
          assertThat(client.awaitClosed()).isTrue();
        }

        nodeRedis.restart();
        try (RedisStores nodeStores = RedisStores.connect(nodeRedis.address(), ConnectorCluster.KEY_PREFIX)) {
          StoredMessage waiting = ConnectorCluster.message(appId, "{\"after\":\"outage\"}", Duration.ofMinutes(1));
          nodeStores.messages().saveWithPending(waiting, List.of(regId));
          // The node's own Redis connection comes back on its own schedule: until then it keeps closing as above.
          String delivered =
              await()
                  .atMost(Duration.ofSeconds(30))
                  .pollInterval(Duration.ofMillis(500))
                  .ignoreExceptions()
                  .until(
                      () -> {
                        try (TestClient client = new TestClient(port)) {
                          client.connectAccepted(binding(appId, regId, device.token()));
                          return client.readPush().getMsgId();
                        }
                      },
                      waiting.msgId()::equals);
          assertThat(delivered).isEqualTo(waiting.msgId());
        }
      } finally {
        cluster.stopExtraConnector(connector);
      }
    }
  }
}
