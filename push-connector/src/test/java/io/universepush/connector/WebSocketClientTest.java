package io.universepush.connector;

import static io.universepush.connector.TestClient.binding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameDecoder;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Push;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.node.ZooKeeperNodeDirectory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Devices over WebSocket (the JDK's client): JSON text and binary frames, on the same session core as TCP. */
@ExtendWith(ConnectorCluster.Extension.class)
class WebSocketClientTest {
  private static final long READ_TIMEOUT_SECONDS = 10;

  private static ConnectorCluster cluster;
  private static String appId;
  private static HttpClient http;

  @BeforeAll
  static void setUp(ConnectorCluster shared) {
    cluster = shared;
    appId = cluster.newApp();
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void tearDown() {
    http = null;
  }

  @Test
  void jsonClientConnectsReceivesAPushAcksItAndPings() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (WsClient client = WsClient.open("/ws")) {
      client.sendText(
          "{\"signal\":\"CONNECT\",\"message_id\":1,\"content\":{\"bindings\":[{\"appId\":\"" + appId
              + "\",\"regId\":\"" + regId + "\",\"token\":\"" + device.token() + "\"}],\"platform\":\"web\"}}");
      JsonObject connectAck = client.readJson();
      assertThat(connectAck.get("signal").getAsString()).isEqualTo("CONNECT_ACK");
      assertThat(connectAck.get("sub_signal").getAsInt()).isEqualTo(ConnectResult.ACCEPTED.code());
      assertThat(connectAck.get("message_id").getAsInt()).isEqualTo(1);
      assertThat(connectAck.getAsJsonObject("content").get("nodeId").getAsString())
          .isEqualTo(cluster.node().nodeId());
      await().atMost(Duration.ofSeconds(5)).until(() -> cluster.stores().routes().find(regId).isPresent());

      StoredMessage message = cluster.storePending(appId, regId, "{\"text\":\"hello over WebSocket\"}");
      assertWritten(cluster.deliver(ConnectorCluster.delivery(message, regId)));

      JsonObject push = client.readJson();
      assertThat(push.get("signal").getAsString()).isEqualTo("PUSH");
      JsonObject content = push.getAsJsonObject("content");
      assertThat(content.get("msgId").getAsString()).isEqualTo(message.msgId());
      assertThat(Base64.getDecoder().decode(content.get("payload").getAsString())).isEqualTo(message.payload());

      // Lower-case name and the original server's camel-case keys are read too.
      client.sendText("{\"signal\":\"pub_ack\",\"messageId\":2,\"content\":{\"msgIds\":[\"" + message.msgId() + "\"]}}");
      assertAcknowledged(regId, message);

      client.sendText("{\"signal\":3,\"subSignal\":0,\"messageId\":7,\"content\":{\"intervalMs\":30000}}");
      JsonObject pong = client.readJson();
      assertThat(pong.get("signal").getAsString()).isEqualTo("PING");
      assertThat(pong.get("sub_signal").getAsInt()).isEqualTo(1);
      assertThat(pong.get("message_id").getAsInt()).isEqualTo(7);
      assertThat(pong.getAsJsonObject("content").get("intervalMs").getAsInt()).isEqualTo(30000);
    }
  }

  @Test
  void binaryClientSpeaksTheTcpFramesEvenSplitAcrossMessages() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (WsClient client = WsClient.open("/ws")) {
      client.sendFrame(
          Frame.v3(
              Signal.CONNECT,
              0,
              1,
              Connect.newBuilder().addBindings(binding(appId, regId, device.token())).setPlatform("web").build()));
      Frame ackFrame = client.readFrame();
      assertThat(ackFrame.signal()).isEqualTo(Signal.CONNECT_ACK);
      assertThat(ConnectAck.parseFrom(FrameEncoder.bodyOf(ackFrame)).getResult())
          .isEqualTo(ConnectResult.ACCEPTED.code());
      await().atMost(Duration.ofSeconds(5)).until(() -> cluster.stores().routes().find(regId).isPresent());

      StoredMessage message = cluster.storePending(appId, regId, "{\"text\":\"binary\"}");
      assertWritten(cluster.deliver(ConnectorCluster.delivery(message, regId)));

      Frame pushFrame = client.readFrame();
      assertThat(pushFrame.signal()).isEqualTo(Signal.PUSH);
      Push push = Push.parseFrom(FrameEncoder.bodyOf(pushFrame));
      assertThat(push.getMsgId()).isEqualTo(message.msgId());
      assertThat(push.getPayload().toByteArray()).isEqualTo(message.payload());

      byte[] ack = FrameEncoder.encode(Frame.v3(Signal.PUB_ACK, 0, 2, Ack.newBuilder().addMsgIds(message.msgId()).build()));
      client.sendBinary(Arrays.copyOfRange(ack, 0, 4));
      client.sendBinary(Arrays.copyOfRange(ack, 4, ack.length));
      assertAcknowledged(regId, message);
    }
  }

  @Test
  void malformedJsonClosesThatWebSocketWhileAnotherKeepsReceiving() throws Exception {
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    try (WsClient healthy = WsClient.open("/ws");
        WsClient broken = WsClient.open("/ws");
        WsClient unknownSignal = WsClient.open("/ws")) {
      healthy.sendText(
          "{\"signal\":\"connect\",\"message_id\":1,\"content\":{\"bindings\":[{\"appId\":\"" + appId
              + "\",\"regId\":\"" + regId + "\",\"token\":\"" + device.token() + "\"}]}}");
      assertThat(healthy.readJson().get("sub_signal").getAsInt()).isEqualTo(ConnectResult.ACCEPTED.code());

      broken.sendText("{\"signal\":\"CONNECT\",");
      Closed malformed = broken.awaitClose();
      assertThat(malformed.status()).isEqualTo(1007);
      assertThat(malformed.reason()).contains("malformed JSON");

      unknownSignal.sendText("{\"signal\":\"SHOUT\"}");
      Closed unknown = unknownSignal.awaitClose();
      assertThat(unknown.status()).isEqualTo(1008);
      assertThat(unknown.reason()).contains("unknown signal");

      StoredMessage message = cluster.storePending(appId, regId, "{\"text\":\"still here\"}");
      assertWritten(cluster.deliver(ConnectorCluster.delivery(message, regId)));
      JsonObject push = healthy.readJson();
      assertThat(push.get("signal").getAsString()).isEqualTo("PUSH");
      assertThat(push.getAsJsonObject("content").get("msgId").getAsString()).isEqualTo(message.msgId());
    }
  }

  @Test
  void anotherPathIsRefusedWith404() {
    assertThatThrownBy(() -> WsClient.open("/elsewhere"))
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .cause()
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
  }

  @Test
  void nodeDirectoryAndNodeAddressShowTheWebSocketPort() {
    assertThat(cluster.wsPort()).isPositive().isNotEqualTo(cluster.tcpPort()).isNotEqualTo(cluster.tlsPort());
    assertThat(cluster.node().wsPort()).isEqualTo(cluster.wsPort());
    try (ZooKeeperNodeDirectory directory = ZooKeeperNodeDirectory.connect(cluster.zookeeperAddress())) {
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(directory.find(cluster.node().nodeId()))
              .hasValueSatisfying(node -> assertThat(node.wsPort()).isEqualTo(cluster.wsPort())));
    }
  }

  private static void assertWritten(DeliveryReport report) {
    assertThat(report.getResults())
        .singleElement()
        .satisfies(r -> assertThat(r.getOutcome()).isEqualTo(DeliveryOutcome.WRITTEN));
  }

  private static void assertAcknowledged(String regId, StoredMessage message) {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(cluster.stores().messages().pending(regId, 10)).isEmpty();
      assertThat(cluster.stores().stats().counters(message.msgId())).containsEntry(MessageStats.DELIVERED, 1L);
    });
  }

  record Closed(int status, String reason) {}

  /** A real WebSocket client (java.net.http) that queues whole messages as they arrive. */
  private static final class WsClient implements WebSocket.Listener, AutoCloseable {
    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private ByteBuffer binary = ByteBuffer.allocate(0);
    private WebSocket socket;

    static WsClient open(String path) throws Exception {
      WsClient client = new WsClient();
      client.socket =
          http.newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(URI.create("ws://127.0.0.1:" + cluster.wsPort() + path), client)
              .get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return client;
    }

    void sendText(String json) throws Exception {
      socket.sendText(json, true).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    void sendBinary(byte[] bytes) throws Exception {
      socket.sendBinary(ByteBuffer.wrap(bytes), true).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    void sendFrame(Frame frame) throws Exception {
      sendBinary(FrameEncoder.encode(frame));
    }

    JsonObject readJson() throws Exception {
      Object message = next();
      assertThat(message).as("a text message").isInstanceOf(String.class);
      return JsonParser.parseString((String) message).getAsJsonObject();
    }

    Frame readFrame() throws Exception {
      Object message = next();
      assertThat(message).as("a binary message").isInstanceOf(byte[].class);
      Frame frame = new FrameDecoder(16 * 1024 * 1024).decode(ByteBuffer.wrap((byte[]) message));
      assertThat(frame).as("one whole frame per message").isNotNull();
      return frame;
    }

    Closed awaitClose() throws Exception {
      return closed.get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private Object next() throws Exception {
      Object message = messages.poll(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(message).as("a message within " + READ_TIMEOUT_SECONDS + "s").isNotNull();
      return message;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        messages.add(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
      joined.put(binary).put(data).flip();
      binary = joined;
      if (last) {
        byte[] bytes = new byte[binary.remaining()];
        binary.get(bytes);
        messages.add(bytes);
        binary = ByteBuffer.allocate(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(new Closed(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }

    @Override
    public void close() {
      if (!socket.isOutputClosed()) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
      }
      socket.abort();
    }
  }
}
