package io.universepush.connector;

import static io.universepush.connector.TestClient.binding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.protocol.Frame;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Push;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.node.ZooKeeperNodeDirectory;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The device listener behind TLS: same protocol as plain TCP, its own port, bad handshakes closed one by one. */
@ExtendWith(ConnectorCluster.Extension.class)
class TlsListenerTest {
  private static ConnectorCluster cluster;
  private static String appId;
  private static SSLContext trusting;

  @BeforeAll
  static void setUp(ConnectorCluster shared) throws Exception {
    cluster = shared;
    appId = cluster.newApp();
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(cluster.certificates().loadTrustStore());
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, trust.getTrustManagers(), null);
  }

  @Test
  void deviceOverTlsAuthenticatesReceivesAPushAndAcksIt() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (TestClient client = new TestClient(tlsSocket(trusting))) {
      ConnectAck ack = client.connectAccepted(binding(appId, regId, device.token()));
      assertThat(ack.getNodeId()).isEqualTo(cluster.node().nodeId());
      await().atMost(Duration.ofSeconds(5)).until(() -> cluster.stores().routes().find(regId).isPresent());

      StoredMessage message = cluster.storePending(appId, regId, "{\"text\":\"hello over TLS\"}");
      DeliveryReport report = cluster.deliver(ConnectorCluster.delivery(message, regId));
      assertThat(report.getResults())
          .singleElement()
          .satisfies(r -> assertThat(r.getOutcome()).isEqualTo(DeliveryOutcome.WRITTEN));

      Push push = client.readPush();
      assertThat(push.getMsgId()).isEqualTo(message.msgId());
      assertThat(push.getPayload().toByteArray()).isEqualTo(message.payload());
      client.ack(List.of(message.msgId()));

      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(cluster.stores().messages().pending(regId, 10)).isEmpty();
        assertThat(cluster.stores().stats().counters(message.msgId())).containsEntry(MessageStats.DELIVERED, 1L);
      });
    }
  }

  @Test
  void plainTextOnTheTlsPortIsClosedWhileATlsClientKeepsWorking() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    long failuresBefore = handshakeFailures();
    try (TestClient secure = new TestClient(tlsSocket(trusting))) {
      secure.connectAccepted(binding(appId, device.device().regId(), device.token()));

      try (TestClient plain = new TestClient(cluster.tlsPort())) {
        plain.send(
            Frame.v3(
                Signal.CONNECT,
                0,
                1,
                Connect.newBuilder()
                    .addBindings(binding(appId, device.device().regId(), device.token()))
                    .setPlatform("android")
                    .build()));
        assertThat(plain.awaitClosed()).isTrue();
      }

      assertThat(secure.pushesUntilPong(7)).isEmpty();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> handshakeFailures() > failuresBefore);
  }

  @Test
  void clientThatDoesNotTrustTheCertificateFailsTheHandshake() throws Exception {
    long failuresBefore = handshakeFailures();
    SSLContext jdkDefaults = SSLContext.getInstance("TLS");
    jdkDefaults.init(null, null, null);

    assertThatThrownBy(() -> {
          try (SSLSocket socket = tlsSocket(jdkDefaults)) {
            socket.startHandshake();
          }
        })
        .isInstanceOf(SSLException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> handshakeFailures() > failuresBefore);
  }

  @Test
  void nodeDirectoryAndNodeAddressShowTheTlsPort() {
    assertThat(cluster.tlsPort()).isPositive().isNotEqualTo(cluster.tcpPort());
    assertThat(cluster.node().tlsPort()).isEqualTo(cluster.tlsPort());
    try (ZooKeeperNodeDirectory directory = ZooKeeperNodeDirectory.connect(cluster.zookeeperAddress())) {
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(directory.find(cluster.node().nodeId()))
              .hasValueSatisfying(node -> assertThat(node.tlsPort()).isEqualTo(cluster.tlsPort())));
    }
  }

  private static SSLSocket tlsSocket(SSLContext context) throws Exception {
    Socket plain = new Socket("127.0.0.1", cluster.tlsPort());
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", cluster.tlsPort(), true);
    // As a careful client does: the certificate must name the host it asked for.
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static long handshakeFailures() {
    return cluster.connector().getBean(ConnectorMetrics.class).tlsHandshakeFailuresTotal();
  }
}
