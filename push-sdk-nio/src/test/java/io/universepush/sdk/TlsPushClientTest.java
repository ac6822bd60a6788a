package io.universepush.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolException;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Pong;
import io.universepush.protocol.proto.Push;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The NIO client over TLS against a fake connector with the development certificate. */
class TlsPushClientTest {
  private static SSLContext serverTls;
  private static SSLContext clientTls;

  private FakeConnector server;
  private RecordingListener listener;
  private final List<PushClient> clients = new ArrayList<PushClient>();

  @BeforeAll
  static void certificates() throws Exception {
    serverTls = DevTls.serverContext();
    clientTls = DevTls.clientContext();
  }

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeConnector(serverTls);
    listener = new RecordingListener();
  }

  @AfterEach
  void stop() throws Exception {
    for (PushClient client : clients) {
      client.close();
    }
    server.close();
  }

  private PushClient start(PushClient.Builder builder) {
    PushClient client = builder.listener(listener).build();
    clients.add(client);
    client.connect();
    return client;
  }

  private PushClient.Builder builder(String host) {
    return PushClient.builder()
        .endpoint(host, server.port())
        .credentials("app-1", "reg-1", "token-1")
        .tls(clientTls)
        .reconnectBackoff(20, 200)
        .reconnectJitter(0);
  }

  private static Push push(String msgId, String payload) {
    return Push.newBuilder()
        .setMsgId(msgId)
        .setAppId("app-1")
        .setRegId("reg-1")
        .setPayload(ByteString.copyFromUtf8(payload))
        .setAttempt(1)
        .build();
  }

  /** The next frame that is not a heartbeat, answering the heartbeats on the way. */
  private static Frame readSkippingPings(FakeConnector.Connection connection, Signal expected) throws Exception {
    Frame frame;
    while ((frame = connection.read()).signal() == Signal.PING) {
      connection.send(Frame.v3(Signal.PING, 1, frame.messageId(), Pong.newBuilder().setIntervalMs(200).build()));
    }
    assertThat(frame.signal()).as("signal of %s", frame).isEqualTo(expected);
    return frame;
  }

  @Test
  void connectsAuthenticatesReceivesAcksHeartbeatsAndClosesCleanly() throws Exception {
    // "localhost": a host name, so SNI and host name verification against the certificate's DNS name.
    PushClient client = start(builder("localhost").heartbeatInterval(200));

    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-tls");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-tls");

    Frame ping = connection.read(Signal.PING);
    connection.send(Frame.v3(Signal.PING, 1, ping.messageId(), Pong.newBuilder().setIntervalMs(200).build()));
    connection.push(push("m-1", "{\"text\":\"over tls\"}"));
    assertThat(listener.nextMessage().payloadAsString()).isEqualTo("{\"text\":\"over tls\"}");
    assertThat(Ack.parseFrom(readSkippingPings(connection, Signal.PUB_ACK).body()).getMsgIdsList())
        .containsExactly("m-1");
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);

    client.close();

    Disconnect goodbye = Disconnect.parseFrom(readSkippingPings(connection, Signal.DISCONNECT).body());
    assertThat(goodbye.getReason()).isEqualTo("client closed");
    // close_notify, then the end of the stream, not a reset.
    assertThat(connection.readsEndOfStream()).isTrue();
    assertThat(listener.nextEvent()).isEqualTo("message m-1");
    assertThat(listener.nextEvent()).isEqualTo("disconnected closed by client");
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
  }

  @Test
  void pushesLargerThanOneTlsRecordArriveIntact() throws Exception {
    start(builder("127.0.0.1"));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-tls");

    char[] chars = new char[60 * 1024];
    Random random = new Random(42);
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ('a' + random.nextInt(26));
    }
    String big = new String(chars);
    String other = big.substring(1000) + "-second";
    connection.push(push("big-1", big));
    connection.push(push("big-2", other));

    assertThat(listener.nextMessage().payloadAsString()).isEqualTo(big);
    assertThat(listener.nextMessage().payloadAsString()).isEqualTo(other);
    assertThat(connection.readAck().getMsgIdsList()).containsExactly("big-1");
    assertThat(connection.readAck().getMsgIdsList()).containsExactly("big-2");
  }

  @Test
  void reconnectsAfterTheServerCutsTheTlsConnection() throws Exception {
    PushClient client = start(builder("localhost"));
    FakeConnector.Connection first = server.acceptAndAuthenticate("node-a");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-a");

    first.close();

    assertThat(listener.nextEvent()).isEqualTo("disconnected connection closed by server");
    FakeConnector.Connection second = server.acceptAndAuthenticate("node-b");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-b");
    second.push(push("m-after", "\"again\""));
    assertThat(listener.nextMessage().msgId()).isEqualTo("m-after");
    await().until(() -> client.state() == ConnectionState.CONNECTED);
  }

  @Test
  void anUntrustedServerCertificateIsAPersistentFailureAndNothingIsDelivered() throws Exception {
    // The platform's default trust does not know the self-signed development certificate.
    PushClient client =
        start(
            PushClient.builder()
                .endpoint("localhost", server.port())
                .credentials("app-1", "reg-1", "token-1")
                .tls()
                .reconnectBackoff(20, 60_000));

    FakeConnector.Connection connection = server.accept();
    // The server's side of the handshake runs on its first read; the client refuses the certificate.
    assertThatThrownBy(connection::read).isInstanceOfAny(IOException.class, ProtocolException.class);

    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent())
        .startsWith("disconnected TLS handshake failed: server certificate not accepted")
        .contains("certificat");
    await().until(() -> client.state() == ConnectionState.WAITING_TO_RECONNECT);
    // Persistent: the next attempt waits the longest back-off (60 s here), not the 20 ms base.
    assertThat(server.pollConnection(500)).isNull();
    assertThat(listener.messages).isEmpty();
  }

  @Test
  void looksUpRoutesOverHttpsWithTheSameTrust() throws Exception {
    FakeApi api = new FakeApi(serverTls);
    try {
      api.answer(
          "/v1/route", 200, "{\"connectors\":[{\"host\":\"localhost\",\"tcp_port\":" + server.port() + "}]}");
      assertThat(api.url()).startsWith("https://");
      start(
          PushClient.builder()
              .apiUrl(api.url())
              .credentials("app-1", "reg-1", "token-1")
              .tls(clientTls));

      server.acceptAndAuthenticate("node-routed");
      assertThat(listener.nextEvent()).isEqualTo("connecting");
      assertThat(listener.nextEvent()).isEqualTo("connected node-routed");
      assertThat(api.requests.poll(5, TimeUnit.SECONDS).uri).isEqualTo("/v1/route?reg_id=reg-1");
    } finally {
      api.close();
    }
  }

  @Test
  void registersOverHttpsWithTheGivenTrustAndRefusesAnUntrustedServer() throws Exception {
    FakeApi api = new FakeApi(serverTls);
    try {
      api.answer("/v1/devices", 201, "{\"reg_id\":\"r-1\",\"token\":\"t-1\"}");

      DeviceRegistration registration =
          DeviceRegistrar.registerWithAppId(api.url(), "app-1", "android", null, Arrays.asList("news"), clientTls);
      assertThat(registration.regId()).isEqualTo("r-1");

      assertThatThrownBy(() -> DeviceRegistrar.registerWithAppId(api.url(), "app-1", "android", null, null))
          .isInstanceOf(SSLHandshakeException.class);
    } finally {
      api.close();
    }
  }
}
