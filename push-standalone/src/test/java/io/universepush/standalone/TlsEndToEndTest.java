package io.universepush.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.embedded.DevCertificates;
import io.universepush.sdk.PushClient;
import io.universepush.sdk.PushMessage;
import io.universepush.standalone.PushEndToEndTest.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster with TLS on its device and HTTP listeners, as `standalone --tls` runs it: an app is created over HTTPS
 * on the admin port, a device registers over HTTPS and connects through the SDK to the connector's TLS port, and a
 * push sent over HTTPS arrives and is acknowledged.
 */
class TlsEndToEndTest {
  @TempDir static Path dir;
  private static LocalCluster cluster;
  private static SSLContext trust;

  @BeforeAll
  static void startCluster() throws Exception {
    DevCertificates certificates = DevCertificates.create(dir.resolve("tls"));
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(certificates.loadTrustStore());
    trust = SSLContext.getInstance("TLS");
    trust.init(null, trustManagers.getTrustManagers(), null);
    cluster =
        LocalCluster.start(
            ClusterPorts.random(),
            dir.resolve("redis"),
            new LocalCluster.Tls(certificates, 0),
            List.of("--dubbo.service.shutdown.wait=1000"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aPushTravelsOverHttpsAndTlsToTheDevice() {
    assertThat(cluster.apiUrl()).startsWith("https://");
    assertThat(cluster.adminUrl()).startsWith("https://");
    ClusterHttp https = new ClusterHttp(trust);
    TestApp app = TestApp.create(cluster, https, "tls");
    JsonNode device = app.registerDevice("android");
    assertThat(device.get("connectors").get(0).get("tls_port").asInt()).isEqualTo(cluster.connectorTlsPort());

    RecordingListener listener = new RecordingListener();
    try (PushClient client =
        app.client(device, listener, cluster.connectorTlsPort()).endpoint("localhost", cluster.connectorTlsPort())
            .tls(trust)
            .build()) {
      client.connect();
      await().atMost(Duration.ofSeconds(30)).until(() -> listener.nodeId.get() != null);
      String msgId =
          app.push("{\"reg_ids\":[\"" + device.get("reg_id").asText() + "\"]}", "{\"secure\":true}", 600)
              .body()
              .get("msg_id")
              .asText();

      PushMessage message = listener.next();
      assertThat(message.msgId()).isEqualTo(msgId);
      assertThat(message.payloadAsString()).isEqualTo("{\"secure\":true}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> app.status(msgId).get("delivered").asLong() == 1);
    }
  }
}
