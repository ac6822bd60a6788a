package io.universepush.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.api.support.Http;
import io.universepush.api.support.Http.Answer;
import io.universepush.api.support.TestCluster;
import io.universepush.api.system.AdminListener;
import io.universepush.embedded.DevCertificates;
import io.universepush.store.node.ConnectorNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * push-api with {@code server.ssl.bundle}: the public and the admin listener both speak HTTPS with the bundle's
 * certificate, and a device's connectors carry their TLS port. A cluster of its own.
 */
class HttpsListenersTest {
  @TempDir static Path dir;
  private static TestCluster cluster;
  private static Http https;
  private static String publicUrl;
  private static String adminUrl;
  private static int publicPort;

  @BeforeAll
  static void start() throws Exception {
    DevCertificates certificates = DevCertificates.create(dir);
    cluster =
        TestCluster.start(
            1,
            "--server.ssl.bundle=api",
            "--spring.ssl.bundle.jks.api.keystore.location=" + certificates.keyStore().toUri(),
            "--spring.ssl.bundle.jks.api.keystore.password=" + certificates.password(),
            "--spring.ssl.bundle.jks.api.keystore.type=PKCS12");
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(certificates.loadTrustStore());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trust.getTrustManagers(), null);
    https = new Http(ssl);
    publicPort = cluster.api.getEnvironment().getProperty("local.server.port", Integer.class);
    // 127.0.0.1, as the certificate names it: the client checks the host name.
    publicUrl = "https://127.0.0.1:" + publicPort;
    adminUrl = "https://127.0.0.1:" + cluster.api.getBean(AdminListener.class).port();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void appsDevicesAndPushesWorkOverHttpsOnBothListeners() {
    assertThat(cluster.api.getBean(AdminListener.class).secure()).isTrue();
    Answer created = https.post(adminUrl + "/v1/apps", Map.of("name", "over-tls"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String[] app = {created.json().get("app_id").asText(), created.json().get("app_secret").asText()};

    cluster.nodes.register(
        new ConnectorNode(
            "tls-node", "127.0.0.1", 46789, 0, 0, 0, 0, 1, System.currentTimeMillis(), 46790));
    JsonNode registered =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  Answer answer = https.post(publicUrl + "/v1/devices", Map.of("platform", "android"), app);
                  assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
                  return answer.json();
                },
                json -> json.get("connectors").findValuesAsText("node_id").contains("tls-node"));
    String regId = registered.get("reg_id").asText();

    JsonNode route = https.get(publicUrl + "/v1/route?reg_id=" + regId, app).json();
    JsonNode tlsNode = null;
    for (JsonNode connector : route.get("connectors")) {
      if ("tls-node".equals(connector.get("node_id").asText())) {
        tlsNode = connector;
      }
    }
    assertThat(tlsNode).isNotNull();
    assertThat(tlsNode.get("tcp_port").asInt()).isEqualTo(46789);
    assertThat(tlsNode.get("tls_port").asInt()).isEqualTo(46790);

    Answer pushed =
        https.post(
            publicUrl + "/v1/push", Map.of("audience", Map.of("reg_ids", List.of(regId)), "alert", "hi"), app);
    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
    assertThat(pushed.json().get("msg_id").asText()).isNotBlank();
  }

  @Test
  void plainHttpToTheHttpsPortGetsNoAnswer() {
    Answer plain;
    try {
      plain = new Http().get("http://127.0.0.1:" + publicPort + "/v1/route?reg_id=x");
    } catch (RuntimeException e) {
      return; // the connection was refused or closed: no API answer, as expected
    }
    // Tomcat answers plain HTTP on a TLS port with a bare 400 ("requires TLS"), never with the API.
    assertThat(plain.status()).as(plain.toString()).isEqualTo(400);
    assertThat(plain.json()).isNull();
  }
}
