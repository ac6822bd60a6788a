package io.universepush.sdk.aio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.universepush.embedded.DevCertificates;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameDecoder;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.FrameInputStream;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Push;
import io.universepush.sdk.ConnectionState;
import io.universepush.sdk.PushMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AIO client over TLS against a TLS connector stand-in with the development certificate. */
class AioTlsTest {
  @TempDir static java.nio.file.Path certificateDir;

  private static SSLContext serverTls;
  private static SSLContext clientTls;

  private ServerSocket server;
  private Socket socket;
  private FrameInputStream frames;
  private final RecordingListener listener = new RecordingListener();
  private final BlockingQueue<PushMessage> messages = listener.messages;
  private final BlockingQueue<String> events = listener.events;
  private AioPushClient client;

  @BeforeAll
  static void certificates() throws Exception {
    DevCertificates dev = DevCertificates.create(certificateDir);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dev.keyStore())) {
      keys.load(in, dev.password().toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, dev.password().toCharArray());
    serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);

    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(dev.loadTrustStore());
    clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, tmf.getTrustManagers(), null);
  }

  @BeforeEach
  void startServer() throws IOException {
    server = serverTls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server.setSoTimeout(10_000);
  }

  @AfterEach
  void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    if (socket != null) {
      socket.close();
    }
    server.close();
  }

  private void startClient(AioPushClient.Builder builder) {
    client =
        builder
            .endpoint("localhost", server.getLocalPort())
            .credentials("app-1", "reg-1", "token-1")
            .listener(listener)
            .build();
    client.connect();
  }

  private void accept() throws IOException {
    socket = server.accept();
    socket.setSoTimeout(10_000);
    frames = new FrameInputStream(socket.getInputStream(), FrameDecoder.DEFAULT_MAX_BODY_LENGTH);
  }

  private Frame read(Signal expected) throws Exception {
    Frame frame = frames.read();
    assertThat(frame.signal()).isEqualTo(expected);
    return frame;
  }

  private void send(Frame frame) throws IOException {
    socket.getOutputStream().write(FrameEncoder.encode(frame));
    socket.getOutputStream().flush();
  }

  private void acceptAndAuthenticate(String nodeId) throws Exception {
    accept();
    Connect connect = Connect.parseFrom(read(Signal.CONNECT).body());
    assertThat(connect.getBindings(0).getToken()).isEqualTo("token-1");
    ConnectAck ack = ConnectAck.newBuilder().setResult(ConnectResult.ACCEPTED.code()).setNodeId(nodeId).build();
    send(Frame.v3(Signal.CONNECT_ACK, ConnectResult.ACCEPTED.code(), 1, ack));
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("connected " + nodeId);
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

  @Test
  void receivesSmallAndLargePushesAcknowledgesThemAndClosesCleanly() throws Exception {
    startClient(AioPushClient.builder().tls(clientTls));
    acceptAndAuthenticate("node-tls");

    StringBuilder big = new StringBuilder();
    while (big.length() < 60 * 1024) {
      big.append("payload-").append(big.length()).append(';');
    }
    send(Frame.v3(Signal.PUSH, 0, 0, push("m-1", "\"small\"")));
    send(Frame.v3(Signal.PUSH, 0, 0, push("m-big", big.toString())));

    assertThat(messages.poll(10, TimeUnit.SECONDS).payloadAsString()).isEqualTo("\"small\"");
    assertThat(messages.poll(10, TimeUnit.SECONDS).payloadAsString()).isEqualTo(big.toString());
    assertThat(Ack.parseFrom(read(Signal.PUB_ACK).body()).getMsgIdsList()).containsExactly("m-1");
    assertThat(Ack.parseFrom(read(Signal.PUB_ACK).body()).getMsgIdsList()).containsExactly("m-big");

    client.close();

    assertThat(Disconnect.parseFrom(read(Signal.DISCONNECT).body()).getReason()).isEqualTo("client closed");
    // close_notify, then the end of the stream.
    assertThat(socket.getInputStream().read()).isEqualTo(-1);
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected closed by client");
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
  }

  @Test
  void reconnectsAfterTheServerCutsTheTlsConnection() throws Exception {
    startClient(AioPushClient.builder().tls(clientTls).reconnectBackoff(20, 200));
    acceptAndAuthenticate("node-a");

    socket.close();

    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected connection closed by server");
    acceptAndAuthenticate("node-b");
    send(Frame.v3(Signal.PUSH, 0, 0, push("m-after", "\"again\"")));
    assertThat(messages.poll(10, TimeUnit.SECONDS).msgId()).isEqualTo("m-after");
  }

  @Test
  void anUntrustedServerCertificateIsAPersistentFailureAndNothingIsDelivered() throws Exception {
    // The platform's default trust does not know the self-signed development certificate.
    startClient(AioPushClient.builder().tls().reconnectBackoff(20, 60_000));
    accept();
    assertThatThrownBy(() -> frames.read()).isInstanceOf(IOException.class);

    assertThat(events.poll(10, TimeUnit.SECONDS))
        .startsWith("disconnected TLS handshake failed: server certificate not accepted")
        .contains("certificat");
    await().until(() -> client.state() == ConnectionState.WAITING_TO_RECONNECT);
    // Persistent: the next attempt waits the longest back-off (60 s here), not the 20 ms base.
    server.setSoTimeout(500);
    assertThatThrownBy(() -> server.accept()).isInstanceOf(SocketTimeoutException.class);
    assertThat(messages).isEmpty();
  }
}
