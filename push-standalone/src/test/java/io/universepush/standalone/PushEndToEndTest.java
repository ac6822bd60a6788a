package io.universepush.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.FrameInputStream;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.legacy.LegacyBodies;
import io.universepush.sdk.PublishResult;
import io.universepush.sdk.PushClient;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.io.IOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton, as production runs it: embedded ZooKeeper and Redis, push-subscribe, push-connector and
 * push-api as separate Dubbo applications over real sockets; a device on the NIO SDK; pushes sent with HTTP.
 */
class PushEndToEndTest {
  private static LocalCluster cluster;
  private static final ClusterHttp http = new ClusterHttp();
  private static String appAuth;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start(ClusterPorts.random(), List.of("--dubbo.service.shutdown.wait=1000"));
    ClusterHttp.Reply app = http.post(cluster.adminUrl() + "/v1/apps", null, "{\"name\":\"e2e\"}");
    assertThat(app.status()).isEqualTo(201);
    appAuth = ClusterHttp.basic(app.body().get("app_id").asText(), app.body().get("app_secret").asText());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void pushGroupRunsInTheClusterAndAGroupSendIsInItsHistory() {
    String regId = registerDevice().get("reg_id").asText();
    ClusterHttp.Reply group =
        http.post(cluster.groupUrl() + "/v1/groups", appAuth, "{\"name\":\"tour\",\"members\":[\"" + regId + "\"]}");
    assertThat(group.status()).as(group.body().toString()).isEqualTo(201);
    String groupId = group.body().get("group_id").asText();
    ClusterHttp.Reply sent =
        http.post(cluster.groupUrl() + "/v1/groups/" + groupId + "/messages", appAuth, "{\"message\":{\"text\":\"hi\"}}");
    assertThat(sent.body().get("seq").asLong()).isEqualTo(1);
    ClusterHttp.Reply history = http.get(cluster.groupUrl() + "/v1/groups/" + groupId + "/messages", appAuth);
    assertThat(history.body().get("messages").get(0).get("msg_id").asText())
        .isEqualTo(sent.body().get("msg_id").asText());
  }

  @Test
  void groupMessagesSentOverHttpAndFromADeviceReachTheOtherMemberButNotTheirSender() throws Exception {
    JsonNode member = registerDevice();
    JsonNode sender = registerDevice();
    ClusterHttp.Reply group =
        http.post(
            cluster.groupUrl() + "/v1/groups",
            appAuth,
            "{\"name\":\"e2e\",\"members\":[\"" + member.get("reg_id").asText() + "\",\""
                + sender.get("reg_id").asText() + "\"]}");
    assertThat(group.status()).as(group.body().toString()).isEqualTo(201);
    String groupId = group.body().get("group_id").asText();
    RecordingListener memberListener = new RecordingListener();
    RecordingListener senderListener = new RecordingListener();
    try (PushClient a = connect(member, memberListener);
        PushClient b = connect(sender, senderListener)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> memberListener.nodeId.get() != null);
      await().atMost(Duration.ofSeconds(20)).until(() -> senderListener.nodeId.get() != null);

      ClusterHttp.Reply sent =
          http.post(
              cluster.groupUrl() + "/v1/groups/" + groupId + "/messages",
              appAuth,
              "{\"from\":\"" + sender.get("reg_id").asText() + "\",\"message\":{\"text\":\"hi all\"},\"ttl\":600}");
      assertThat(sent.status()).as(sent.body().toString()).isEqualTo(200);

      PushMessage received = memberListener.next();
      assertThat(received.msgId()).isEqualTo(sent.body().get("msg_id").asText());
      assertThat(received.payloadAsString()).isEqualTo("{\"text\":\"hi all\"}");
      assertThat(received.groupId()).isEqualTo(groupId);
      assertThat(received.seq()).isEqualTo(sent.body().get("seq").asLong());
      assertThat(received.from()).isEqualTo(sender.get("reg_id").asText());

      // A member sends over its own connection: push-group numbers it, and the other member receives it.
      PublishResult published = b.sendToGroup(groupId, "{\"text\":\"from the device\"}", 600).get(20, TimeUnit.SECONDS);
      assertThat(published.isOk()).as(published.reason()).isTrue();
      assertThat(published.seq()).isEqualTo(2);
      PushMessage fromDevice = memberListener.next();
      assertThat(fromDevice.msgId()).isEqualTo(published.msgId());
      assertThat(fromDevice.seq()).isEqualTo(2);
      assertThat(http.get(cluster.groupUrl() + "/v1/groups/" + groupId + "/messages", appAuth).body().get("messages"))
          .hasSize(2);
      assertThat(senderListener.messages).isEmpty();
    }
  }

  @Test
  void pushReachesAnOnlineSdkDeviceExactlyAndIsAcked() {
    JsonNode device = registerDevice();
    RecordingListener listener = new RecordingListener();
    try (PushClient client = connect(device, listener)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> listener.nodeId.get() != null);

      ClusterHttp.Reply push =
          http.post(
              cluster.apiUrl() + "/v1/push",
              appAuth,
              "{\"audience\":{\"reg_ids\":[\"" + device.get("reg_id").asText() + "\"]},"
                  + "\"alert\":\"hi\",\"title\":\"greeting\",\"message\":{\"text\":\"hello\",\"n\":1},"
                  + "\"extras\":{\"k\":\"v\"},\"ttl\":600}");
      assertThat(push.status()).isEqualTo(200);
      assertThat(push.body().get("accepted").asInt()).isEqualTo(1);
      String msgId = push.body().get("msg_id").asText();

      PushMessage message = listener.next();
      assertThat(message.msgId()).isEqualTo(msgId);
      assertThat(message.payloadAsString()).isEqualTo("{\"text\":\"hello\",\"n\":1}");
      assertThat(message.alert()).isEqualTo("hi");
      assertThat(message.title()).isEqualTo("greeting");
      assertThat(message.extras()).containsEntry("k", "v");

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                JsonNode status = http.get(cluster.apiUrl() + "/v1/messages/" + msgId, appAuth).body();
                assertThat(status.get("delivered").asLong()).isEqualTo(1);
                assertThat(status.get("pending").asLong()).isZero();
              });
    }
  }

  @Test
  void messageForAnOfflineDeviceIsDeliveredWhenItConnects() {
    JsonNode device = registerDevice();
    ClusterHttp.Reply push =
        http.post(
            cluster.apiUrl() + "/v1/push",
            appAuth,
            "{\"audience\":{\"reg_ids\":[\"" + device.get("reg_id").asText() + "\"]},"
                + "\"message\":{\"offline\":true},\"ttl\":600}");
    assertThat(push.status()).isEqualTo(200);

    RecordingListener listener = new RecordingListener();
    try (PushClient client = connect(device, listener)) {
      PushMessage message = listener.next();
      assertThat(message.msgId()).isEqualTo(push.body().get("msg_id").asText());
      assertThat(message.payloadAsString()).isEqualTo("{\"offline\":true}");
    }
  }

  @Test
  void legacyVersion2ClientSubscribesAndReceivesPushByToken() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", cluster.ports().connectorTcp())) {
      socket.setSoTimeout(20_000);
      LegacyConnection legacy = new LegacyConnection(socket);
      legacy.send(LegacyBodies.subRequest(ProtocolVersion.V2, 1, "legacy-device-1"));
      Frame answer = legacy.read();
      assertThat(answer.signal()).isEqualTo(Signal.SUB);
      LegacyBodies.SubResponse sub = LegacyBodies.parseSubResponse(answer);
      assertThat(sub.status()).isEqualTo(200);
      assertThat(sub.token()).isNotBlank();

      String url =
          cluster.apiUrl()
              + "/push/sendByToken?token="
              + URLEncoder.encode(sub.token(), StandardCharsets.UTF_8)
              + "&message="
              + URLEncoder.encode("héllo legacy", StandardCharsets.UTF_8);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(http.get(url, null).body().get("code").asInt()).isEqualTo(200));

      Frame push = legacy.read();
      assertThat(push.version()).isEqualTo(ProtocolVersion.V2);
      assertThat(push.signal()).isEqualTo(Signal.PUSH);
      assertThat(push.messageId()).isZero();
      assertThat(push.bodyAsText()).isEqualTo("héllo legacy");
    }
  }

  private static JsonNode registerDevice() {
    ClusterHttp.Reply reply =
        http.post(cluster.apiUrl() + "/v1/devices", appAuth, "{\"platform\":\"android\",\"alias\":\"e2e\"}");
    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.body().get("connectors")).isNotEmpty();
    return reply.body();
  }

  private static PushClient connect(JsonNode device, PushListener listener) {
    String[] app = appAuth.split(":", 2);
    PushClient client =
        PushClient.builder()
            .apiUrl(cluster.apiUrl())
            .endpoint("127.0.0.1", cluster.ports().connectorTcp())
            .credentials(app[0], device.get("reg_id").asText(), device.get("token").asText())
            .listener(listener)
            .build();
    client.connect();
    return client;
  }

  /** Collects what the SDK hands to the app. */
  static final class RecordingListener implements PushListener {
    final AtomicReference<String> nodeId = new AtomicReference<>();
    final BlockingQueue<PushMessage> messages = new LinkedBlockingQueue<>();

    @Override
    public void onConnected(String node) {
      nodeId.set(node == null ? "" : node);
    }

    @Override
    public void onMessage(PushMessage message) {
      messages.add(message);
    }

    PushMessage next() {
      return next(Duration.ofSeconds(20));
    }

    PushMessage next(Duration patience) {
      try {
        PushMessage message = messages.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a push within %s", patience).isNotNull();
        return message;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A universe_push version-2 client on a raw socket. */
  static final class LegacyConnection {
    private final Socket socket;
    private final FrameInputStream frames;

    LegacyConnection(Socket socket) throws IOException {
      this.socket = socket;
      this.frames = new FrameInputStream(socket.getInputStream(), 1 << 20);
    }

    void send(Frame frame) throws IOException {
      socket.getOutputStream().write(FrameEncoder.encode(frame));
      socket.getOutputStream().flush();
    }

    Frame read() throws Exception {
      return frames.read();
    }
  }
}
