package io.universepush.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.universepush.connector.tcp.TcpServer;
import io.universepush.connector.websocket.WebSocketListener;
import io.universepush.protocol.ConnectResult;
import io.universepush.store.device.DeviceRegistration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/** A node whose WebSocket listener runs behind TLS ({@code wss://}) and accepts browser pages of one origin only. */
@ExtendWith(ConnectorCluster.Extension.class)
class WebSocketTlsAndOriginTest {
  private static final String ALLOWED_ORIGIN = "https://app.example";

  private static ConnectorCluster cluster;
  private static ConfigurableApplicationContext node;
  private static HttpClient https;
  private static String appId;

  @BeforeAll
  static void setUp(ConnectorCluster shared) throws Exception {
    cluster = shared;
    appId = cluster.newApp();
    node =
        cluster.startExtraConnectorWith(
            "test-node-wss",
            "--universe.push.connector.websocket.tls=true",
            "--universe.push.connector.websocket.allowed-origins=" + ALLOWED_ORIGIN);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(cluster.certificates().loadTrustStore());
    SSLContext trusting = SSLContext.getInstance("TLS");
    trusting.init(null, trust.getTrustManagers(), null);
    https = HttpClient.newBuilder().sslContext(trusting).build();
  }

  @AfterAll
  static void tearDown() {
    if (node != null) {
      cluster.stopExtraConnector(node);
    }
  }

  @Test
  void pageOfTheAllowedOriginConnectsOverTls() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    CompletableFuture<String> firstMessage = new CompletableFuture<>();
    WebSocket socket = open(ALLOWED_ORIGIN, firstMessage).get(10, TimeUnit.SECONDS);
    try {
      socket.sendText(
          "{\"signal\":\"CONNECT\",\"message_id\":1,\"content\":{\"bindings\":[{\"appId\":\"" + appId
              + "\",\"regId\":\"" + device.device().regId() + "\",\"token\":\"" + device.token() + "\"}]}}",
          true);
      String connectAck = firstMessage.get(10, TimeUnit.SECONDS);
      assertThat(JsonParser.parseString(connectAck).getAsJsonObject().get("sub_signal").getAsInt())
          .isEqualTo(ConnectResult.ACCEPTED.code());
    } finally {
      socket.abort();
    }
  }

  @Test
  void pageOfAnotherOriginGets403() {
    assertThatThrownBy(() -> open("https://evil.example", new CompletableFuture<>()).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .cause()
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
  }

  private static CompletableFuture<WebSocket> open(String origin, CompletableFuture<String> firstMessage) {
    int port = node.getBean(TcpServer.class).listenerPort(WebSocketListener.NAME);
    return https
        .newWebSocketBuilder()
        .header("Origin", origin)
        .buildAsync(
            URI.create("wss://localhost:" + port + "/ws"),
            new WebSocket.Listener() {
              private final StringBuilder text = new StringBuilder();

              @Override
              public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                  firstMessage.complete(text.toString());
                }
                webSocket.request(1);
                return null;
              }
            });
  }
}
