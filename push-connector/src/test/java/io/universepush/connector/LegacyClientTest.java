package io.universepush.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.legacy.LegacyBodies;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.route.Route;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** universe_push clients (versions 1 and 2): SUB, PING and text PUSH as the original SDK sends and expects them. */
@ExtendWith(ConnectorCluster.Extension.class)
class LegacyClientTest {
  private static ConnectorCluster cluster;

  @BeforeAll
  static void setUp(ConnectorCluster shared) {
    cluster = shared;
  }

  @Test
  void versionTwoSubGetsATokenAndADeliveryArrivesAsText() throws Exception {
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.send(LegacyBodies.subRequest(ProtocolVersion.V2, 5, "device-v2"));

      Frame answer = client.read();
      assertThat(answer.version()).isEqualTo(ProtocolVersion.V2);
      assertThat(answer.signal()).isEqualTo(Signal.SUB);
      assertThat(answer.messageId()).isEqualTo(5);
      LegacyBodies.SubResponse sub = LegacyBodies.parseSubResponse(answer);
      assertThat(sub.status()).isEqualTo(200);
      assertThat(sub.token()).isNotBlank();
      String regId = cluster.stores().devices().resolveLegacyToken(sub.token()).orElseThrow();
      Route route = awaitRoute(regId);
      assertThat(route.appId()).isEqualTo("legacy");

      StoredMessage message = cluster.storePending("legacy", regId, "hello, 世界");
      assertThat(cluster.deliver(ConnectorCluster.delivery(message, regId)).getResults().get(0).getOutcome())
          .isEqualTo(DeliveryOutcome.WRITTEN);

      Frame push = client.readUntil(Signal.PUSH);
      assertThat(push.version()).isEqualTo(ProtocolVersion.V2);
      assertThat(push.messageId()).isZero();
      assertThat(push.bodyAsText()).isEqualTo("hello, 世界");
      // Legacy clients never ack: written counts as delivered.
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(cluster.stores().messages().pending(regId, 10)).isEmpty();
        assertThat(cluster.stores().stats().counters(message.msgId())).containsEntry(MessageStats.DELIVERED, 1L);
      });
    }
  }

  @Test
  void pingIsAnsweredWithTheSameMessageIdAndTheInterval() throws Exception {
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.send(LegacyBodies.subRequest(ProtocolVersion.V2, 1, "device-ping"));
      assertThat(LegacyBodies.parseSubResponse(client.read()).status()).isEqualTo(200);

      client.send(Frame.text(ProtocolVersion.V2, Signal.PING, 0, 9, "not json"));
      Frame keptDefault = client.readUntil(Signal.PING);
      assertThat(keptDefault.messageId()).isEqualTo(9);
      assertThat(keptDefault.bodyAsText()).isEqualTo("ping back next interval 60000");

      client.send(LegacyBodies.pingRequest(ProtocolVersion.V2, 10, 30_000));
      Frame answer = client.readUntil(Signal.PING);
      assertThat(answer.version()).isEqualTo(ProtocolVersion.V2);
      assertThat(answer.messageId()).isEqualTo(10);
      assertThat(answer.bodyAsText()).isEqualTo("ping back next interval 30000");
    }
  }

  @Test
  void versionOneClientsWithTheSixByteHeaderWork() throws Exception {
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.send(LegacyBodies.subRequest(ProtocolVersion.V1, 0, "device-v1"));

      Frame answer = client.read();
      assertThat(answer.version()).isEqualTo(ProtocolVersion.V1);
      LegacyBodies.SubResponse sub = LegacyBodies.parseSubResponse(answer);
      assertThat(sub.status()).isEqualTo(200);
      String regId = cluster.stores().devices().resolveLegacyToken(sub.token()).orElseThrow();

      client.send(LegacyBodies.pingRequest(ProtocolVersion.V1, 0, 45_000));
      Frame pong = client.readUntil(Signal.PING);
      assertThat(pong.version()).isEqualTo(ProtocolVersion.V1);
      assertThat(pong.bodyAsText()).isEqualTo("ping back next interval 45000");

      awaitRoute(regId);
      StoredMessage message = cluster.storePending("legacy", regId, "{\"v\":1}");
      cluster.deliver(ConnectorCluster.delivery(message, regId));
      Frame push = client.readUntil(Signal.PUSH);
      assertThat(push.version()).isEqualTo(ProtocolVersion.V1);
      assertThat(push.bodyAsText()).isEqualTo("{\"v\":1}");
    }
  }

  @Test
  void theSameUidKeepsItsTokenAcrossConnections() throws Exception {
    String first;
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.send(LegacyBodies.subRequest(ProtocolVersion.V2, 1, "device-again"));
      first = LegacyBodies.parseSubResponse(client.read()).token();
    }
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.send(LegacyBodies.subRequest(ProtocolVersion.V2, 2, "device-again"));
      assertThat(LegacyBodies.parseSubResponse(client.read()).token()).isEqualTo(first);
    }
  }

  private static Route awaitRoute(String regId) {
    return await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> cluster.stores().routes().find(regId).orElse(null), route -> route != null);
  }
}
