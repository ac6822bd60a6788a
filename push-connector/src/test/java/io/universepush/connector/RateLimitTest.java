package io.universepush.connector;

import static io.universepush.connector.TestClient.binding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.universepush.connector.node.LocalNode;
import io.universepush.connector.node.NodeAddress;
import io.universepush.connector.tcp.Connections;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Ping;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.message.StoredMessage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Limits a client controls on a node of its own with small settings: the frame rate per connection and the number of
 * connections per node. Only outcomes are asserted, never timings.
 */
@ExtendWith(ConnectorCluster.Extension.class)
class RateLimitTest {
  private static final int FRAMES_PER_SECOND = 20;
  private static final int FRAME_BURST = 20;
  private static final int MAX_CONNECTIONS = 3;

  private static ConnectorCluster cluster;
  private static ConfigurableApplicationContext node;
  private static NodeAddress address;
  private static String appId;

  @BeforeAll
  static void startALimitedNode(ConnectorCluster shared) {
    cluster = shared;
    node =
        cluster.startExtraConnectorWith(
            "test-node-limits",
            "--universe.push.connector.limits.frames-per-second=" + FRAMES_PER_SECOND,
            "--universe.push.connector.limits.frame-burst=" + FRAME_BURST,
            "--universe.push.connector.max-connections=" + MAX_CONNECTIONS);
    address = node.getBean(LocalNode.class).address();
    appId = cluster.newApp();
  }

  @AfterAll
  static void stopTheNode() {
    if (node != null) {
      cluster.stopExtraConnector(node);
    }
  }

  /** Each test starts on an empty node: connections of the previous one close asynchronously. */
  @BeforeEach
  void awaitNoConnections() {
    Connections connections = node.getBean(Connections.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> connections.count() == 0);
  }

  @Test
  void aFloodingClientIsDisconnectedAsRateLimitedWhileAnotherKeepsReceivingPushes() throws Exception {
    DeviceRegistration flooder = cluster.newDevice(appId);
    DeviceRegistration bystander = cluster.newDevice(appId);
    String bystanderRegId = bystander.device().regId();
    try (TestClient flooding = new TestClient(address.tcpPort());
        TestClient other = new TestClient(address.tcpPort())) {
      flooding.connectAccepted(binding(appId, flooder.device().regId(), flooder.token()));
      other.connectAccepted(binding(appId, bystanderRegId, bystander.token()));

      // Ten times the burst in one write, far faster than the refill.
      flooding.sendRaw(pings(FRAME_BURST * 10));

      Frame frame = flooding.readUntil(Signal.DISCONNECT);
      assertThat(frame.subSignal()).isEqualTo(DisconnectReason.RATE_LIMITED.code());
      Disconnect disconnect = Disconnect.parseFrom(frame.body());
      assertThat(disconnect.getReasonCode()).isEqualTo(DisconnectReason.RATE_LIMITED.code());
      assertThat(disconnect.getReason()).contains("per second");
      assertThat(flooding.awaitClosed()).isTrue();
      assertThat(node.getBean(MeterRegistry.class).counter("push.connector.rate.limited").count()).isPositive();

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> cluster.stores().routes().find(bystanderRegId).isPresent());
      StoredMessage message = cluster.storePending(appId, bystanderRegId, "{\"still\":\"served\"}");
      DeliveryReport report =
          cluster.aimedAt(
              address,
              service -> service.deliver(new ArrayList<>(List.of(ConnectorCluster.delivery(message, bystanderRegId)))));
      assertThat(report.getResults())
          .singleElement()
          .satisfies(r -> assertThat(r.getOutcome()).isEqualTo(DeliveryOutcome.WRITTEN));
      assertThat(other.readPush().getMsgId()).isEqualTo(message.msgId());
    }
  }

  @Test
  void aClientWithinTheRateIsNeverCut() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    try (TestClient client = new TestClient(address.tcpPort())) {
      client.connectAccepted(binding(appId, device.device().regId(), device.token()));
      // Twice the burst in all, at half the sustained rate: the bucket never empties.
      long pauseMs = 1000L / (FRAMES_PER_SECOND / 2);
      for (int id = 1; id <= FRAME_BURST * 2; id++) {
        Thread.sleep(pauseMs);
        client.ping(id, 0);
        Frame pong = client.readUntil(Signal.PING);
        assertThat(pong.messageId()).isEqualTo(id);
      }
    }
  }

  @Test
  void theConnectionPastMaxConnectionsIsClosedAtOnce() throws Exception {
    List<TestClient> admitted = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        DeviceRegistration device = cluster.newDevice(appId);
        TestClient client = new TestClient(address.tcpPort());
        admitted.add(client);
        client.connectAccepted(binding(appId, device.device().regId(), device.token()));
      }

      try (TestClient refused = new TestClient(address.tcpPort())) {
        assertThat(refused.awaitClosed()).isTrue();
      }
      assertThat(
              node.getBean(MeterRegistry.class)
                  .counter("push.connector.connections.refused", "reason", "MAX_CONNECTIONS")
                  .count())
          .isPositive();

      // Room again once one leaves.
      admitted.remove(0).close();
      Connections connections = node.getBean(Connections.class);
      await().atMost(Duration.ofSeconds(5)).until(() -> connections.count() < MAX_CONNECTIONS);
      DeviceRegistration device = cluster.newDevice(appId);
      try (TestClient client = new TestClient(address.tcpPort())) {
        client.connectAccepted(binding(appId, device.device().regId(), device.token()));
      }
    } finally {
      for (TestClient client : admitted) {
        client.close();
      }
    }
  }

  private static byte[] pings(int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id = 1; id <= count; id++) {
      out.writeBytes(
          FrameEncoder.encode(Frame.v3(Signal.PING, 0, id, Ping.newBuilder().setIntervalMs(0).build())));
    }
    return out.toByteArray();
  }
}
