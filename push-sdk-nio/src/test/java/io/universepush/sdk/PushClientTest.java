package io.universepush.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Ping;
import io.universepush.protocol.proto.Pong;
import io.universepush.protocol.proto.Push;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushClientTest {
  private static final AtomicInteger DEVICES = new AtomicInteger();

  private FakeConnector server;
  private RecordingListener listener;
  private final List<PushClient> clients = new ArrayList<PushClient>();

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeConnector();
    listener = new RecordingListener();
  }

  @AfterEach
  void stop() throws Exception {
    for (PushClient client : clients) {
      client.close();
    }
    server.close();
  }

  private PushClient.Builder builder(String regId) {
    return PushClient.builder()
        .endpoint("127.0.0.1", server.port())
        .credentials("app-1", regId, "token-" + regId)
        .listener(listener)
        .reconnectBackoff(20, 200)
        .reconnectJitter(0);
  }

  private PushClient start(PushClient.Builder builder) {
    PushClient client = builder.build();
    clients.add(client);
    client.connect();
    return client;
  }

  private static String newRegId() {
    return "reg-" + DEVICES.incrementAndGet();
  }

  private static Push push(String msgId, String payload) {
    return Push.newBuilder()
        .setMsgId(msgId)
        .setAppId("app-1")
        .setRegId("reg")
        .setPayload(ByteString.copyFromUtf8(payload))
        .setAttempt(1)
        .build();
  }

  @Test
  void sendsConnectWithItsCredentialsAndReportsTheNode() throws Exception {
    String regId = newRegId();
    PushClient client = start(builder(regId).heartbeatInterval(45_000).platform("ios"));

    FakeConnector.Connection connection = server.accept();
    Frame frame = connection.read(Signal.CONNECT);
    assertThat(frame.version().code()).isEqualTo(3);
    Connect connect = Connect.parseFrom(frame.body());
    assertThat(connect.getBindingsCount()).isEqualTo(1);
    assertThat(connect.getBindings(0).getAppId()).isEqualTo("app-1");
    assertThat(connect.getBindings(0).getRegId()).isEqualTo(regId);
    assertThat(connect.getBindings(0).getToken()).isEqualTo("token-" + regId);
    assertThat(connect.getHeartbeatIntervalMs()).isEqualTo(45_000);
    assertThat(connect.getPlatform()).isEqualTo("ios");
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);

    connection.acceptConnect("node-a");

    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-a");
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void aPushReachesTheListenerWithAllItsFieldsAndIsAcknowledged() throws Exception {
    start(builder(newRegId()));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");

    Push push =
        push("m-1", "{\"text\":\"héllo\"}").toBuilder()
            .setTitle("Title")
            .setAlert("Alert")
            .putExtras("k", "v")
            .setExpiresAtMs(1_900_000_000_000L)
            .setSentAtMs(1_800_000_000_000L)
            .setAttempt(2)
            .build();
    connection.push(push);

    Ack ack = connection.readAck();
    assertThat(ack.getMsgIdsList()).containsExactly("m-1");
    assertThat(ack.getRegId()).isEqualTo("reg");
    PushMessage message = listener.nextMessage();
    assertThat(message.msgId()).isEqualTo("m-1");
    assertThat(message.appId()).isEqualTo("app-1");
    assertThat(message.regId()).isEqualTo("reg");
    assertThat(message.payloadAsString()).isEqualTo("{\"text\":\"héllo\"}");
    assertThat(message.payload()).isEqualTo("{\"text\":\"héllo\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(message.title()).isEqualTo("Title");
    assertThat(message.alert()).isEqualTo("Alert");
    assertThat(message.extras()).containsExactly(org.assertj.core.api.Assertions.entry("k", "v"));
    assertThat(message.expiresAtMs()).isEqualTo(1_900_000_000_000L);
    assertThat(message.sentAtMs()).isEqualTo(1_800_000_000_000L);
    assertThat(message.attempt()).isEqualTo(2);
  }

  @Test
  void aDuplicatePushIsAcknowledgedEveryTimeButDeliveredOnceEvenAcrossReconnects() throws Exception {
    start(builder(newRegId()));
    FakeConnector.Connection first = server.acceptAndAuthenticate("node-a");

    first.push(push("dup", "1"));
    first.push(push("dup", "1"));
    assertThat(first.readAck().getMsgIdsList()).containsExactly("dup");
    assertThat(first.readAck().getMsgIdsList()).containsExactly("dup");

    first.close();
    FakeConnector.Connection second = server.acceptAndAuthenticate("node-b");
    second.push(push("dup", "1"));
    assertThat(second.readAck().getMsgIdsList()).containsExactly("dup");
    // A different message behind it proves the duplicate was processed, not still in flight.
    second.push(push("next", "2"));
    assertThat(second.readAck().getMsgIdsList()).containsExactly("next");

    assertThat(listener.nextMessage().msgId()).isEqualTo("dup");
    assertThat(listener.nextMessage().msgId()).isEqualTo("next");
    assertThat(listener.messages).isEmpty();
  }

  @Test
  void aRedeliveryWithAHigherAttemptIsAcknowledgedButNotDeliveredAgain() throws Exception {
    start(builder(newRegId()));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");

    connection.push(push("m-r", "1"));
    assertThat(connection.readAck().getMsgIdsList()).containsExactly("m-r");
    connection.push(push("m-r", "1").toBuilder().setAttempt(2).build());
    assertThat(connection.readAck().getMsgIdsList()).containsExactly("m-r");
    connection.push(push("m-after", "2"));
    assertThat(connection.readAck().getMsgIdsList()).containsExactly("m-after");

    assertThat(listener.nextMessage().attempt()).isEqualTo(1);
    assertThat(listener.nextMessage().msgId()).isEqualTo("m-after");
    assertThat(listener.messages).isEmpty();
  }

  @Test
  void aFileDedupStoreKeepsARedeliveryFromTheAppAfterARestart(@TempDir Path dir) throws Exception {
    File file = dir.resolve("dedup").toFile();
    String regId = newRegId();
    PushClient before = start(builder(regId).dedupStore(new FileDedupStore(file)));
    FakeConnector.Connection first = server.acceptAndAuthenticate("node-a");
    first.push(push("m-1", "1"));
    assertThat(first.readAck().getMsgIdsList()).containsExactly("m-1");
    assertThat(listener.nextMessage().msgId()).isEqualTo("m-1");
    before.close();

    // The app process restarts: a new client with a store opened from the same file.
    start(builder(regId).dedupStore(new FileDedupStore(file)));
    FakeConnector.Connection second = server.acceptAndAuthenticate("node-b");
    second.push(push("m-1", "1").toBuilder().setAttempt(2).build());
    assertThat(second.readAck().getMsgIdsList()).containsExactly("m-1");
    second.push(push("m-2", "2"));
    assertThat(second.readAck().getMsgIdsList()).containsExactly("m-2");

    assertThat(listener.nextMessage().msgId()).isEqualTo("m-2");
    assertThat(listener.messages).isEmpty();
  }

  @Test
  void aListenerThatThrowsGetsTheMessageAgainUnacknowledgedAndTheAppSeesItOnce() throws Exception {
    List<String> calls = new ArrayList<String>();
    PushListener failingOnce =
        new PushListener() {
          @Override
          public void onMessage(PushMessage message) {
            calls.add(message.msgId() + "#" + message.attempt());
            if (calls.size() == 1) {
              throw new IllegalStateException("app busy");
            }
            listener.onMessage(message);
          }
        };
    start(builder(newRegId()).listener(failingOnce));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");

    connection.push(push("m-1", "1"));
    assertThat(FakeConnector.Connection.acksIn(connection.untilPong())).as("acks after the throwing call").isEmpty();
    // The connector redelivers what was not acknowledged; the second call returns normally and is acknowledged.
    assertThat(connection.deliverUntilAcked(push("m-1", "1").toBuilder().setAttempt(2).build(), 3)).isEqualTo(2);
    // A later redelivery (an ack lost on the way) is acknowledged at once without reaching the app.
    assertThat(connection.deliverUntilAcked(push("m-1", "1").toBuilder().setAttempt(3).build(), 1)).isEqualTo(3);

    assertThat(calls).containsExactly("m-1#1", "m-1#2");
    assertThat(listener.nextMessage().msgId()).isEqualTo("m-1");
    assertThat(listener.messages).isEmpty();
  }

  @Test
  void aFileDedupStoreHoldsNoMarkForAPushWhoseListenerThrew(@TempDir Path dir) throws Exception {
    File file = dir.resolve("dedup").toFile();
    String regId = newRegId();
    PushListener alwaysThrows =
        new PushListener() {
          @Override
          public void onMessage(PushMessage message) {
            throw new IllegalStateException("crash in app code");
          }
        };
    PushClient before = start(builder(regId).listener(alwaysThrows).dedupStore(new FileDedupStore(file)));
    FakeConnector.Connection first = server.acceptAndAuthenticate("node-a");
    first.push(push("m-1", "1"));
    assertThat(FakeConnector.Connection.acksIn(first.untilPong())).isEmpty();
    before.close();

    // Restarted with a working listener: the push was never handled, so it reaches the app.
    start(builder(regId).dedupStore(new FileDedupStore(file)));
    FakeConnector.Connection second = server.acceptAndAuthenticate("node-b");
    assertThat(second.deliverUntilAcked(push("m-1", "1").toBuilder().setAttempt(2).build(), 1)).isEqualTo(2);
    assertThat(listener.nextMessage().msgId()).isEqualTo("m-1");
  }

  @Test
  void aPushCarriesItsFanoutOffsetAndPlatformOptionsAndAUnicastPushHasNone() throws Exception {
    start(builder(newRegId()));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");

    connection.push(
        push("m-fan", "{}").toBuilder()
            .setFanoutOffset(7)
            .setFanoutPrevOffset(3)
            .setIos(
                io.universepush.protocol.proto.IosOptions.newBuilder()
                    .setSound("ding.caf")
                    .setBadge(0)
                    .setProduction(true)
                    .putExtras("ik", "iv"))
            .setAndroid(io.universepush.protocol.proto.AndroidOptions.newBuilder().putExtras("ak", "av"))
            .build());
    connection.push(
        push("m-plain", "{}").toBuilder()
            .setIos(io.universepush.protocol.proto.IosOptions.newBuilder().setSound("s"))
            .build());
    connection.readAck();
    connection.readAck();

    PushMessage fanout = listener.nextMessage();
    assertThat(fanout.fanoutOffset()).isEqualTo(7);
    assertThat(fanout.ios().sound()).isEqualTo("ding.caf");
    assertThat(fanout.ios().badge()).isZero();
    assertThat(fanout.ios().production()).isTrue();
    assertThat(fanout.ios().extras()).containsExactly(entry("ik", "iv"));
    assertThat(fanout.android().extras()).containsExactly(entry("ak", "av"));
    PushMessage plain = listener.nextMessage();
    assertThat(plain.fanoutOffset()).isZero();
    assertThat(plain.ios().badge()).isNull();
    assertThat(plain.ios().production()).isFalse();
    assertThat(plain.android()).isNull();
  }

  @Test
  void logoutSendsClearSessionClosesAndDoesNotReconnect() throws Exception {
    PushClient client = start(builder(newRegId()));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-a");

    client.logout();

    Disconnect goodbye = connection.readDisconnect();
    assertThat(goodbye.getClearSession()).isTrue();
    assertThat(goodbye.getReasonCode()).isEqualTo(DisconnectReason.NORMAL.code());
    assertThat(connection.readsEndOfStream()).isTrue();
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    assertThat(listener.nextEvent()).isEqualTo("disconnected logged out");
    assertThat(server.pollConnection(500)).isNull();
    assertThatThrownBy(client::connect).isInstanceOf(IllegalStateException.class);
    client.logout();
    client.close();
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
  }

  @Test
  void logoutOfAClientNeverConnectedJustCloses() {
    PushClient client = builder(newRegId()).build();
    client.logout();
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
  }

  @Test
  void theDedupStoreGivenIsTheOneConsulted() throws Exception {
    MemoryDedupStore store = new MemoryDedupStore(10);
    store.markSeen("app-1", "reg", "seen-before");
    start(builder(newRegId()).dedupStore(store));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");

    connection.push(push("seen-before", "x"));
    connection.push(push("fresh", "y"));
    assertThat(connection.readAck().getMsgIdsList()).containsExactly("seen-before");
    assertThat(connection.readAck().getMsgIdsList()).containsExactly("fresh");

    assertThat(listener.nextMessage().msgId()).isEqualTo("fresh");
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void aPersistentRejectionIsReportedWithItsCodeAndBacksOffInsteadOfRetryingAtOnce() throws Exception {
    PushClient client = start(builder(newRegId()).reconnectBackoff(20, 60_000));
    FakeConnector.Connection connection = server.accept();
    connection.readConnect();
    ConnectAck ack =
        ConnectAck.newBuilder().setResult(ConnectResult.BAD_CREDENTIALS.code()).setReason("unknown token").build();
    connection.send(Frame.v3(Signal.CONNECT_ACK, ConnectResult.BAD_CREDENTIALS.code(), 1, ack));

    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("disconnected rejected: BAD_CREDENTIALS unknown token");
    assertThat(client.state()).isEqualTo(ConnectionState.WAITING_TO_RECONNECT);
    assertThat(connection.readsEndOfStream()).isTrue();
    // Bad credentials wait the longest back-off (60 s here): a new connection now would be a busy loop.
    assertThat(server.pollConnection(500)).isNull();
  }

  @Test
  void aTransientRejectionIsRetriedAfterBackOff() throws Exception {
    start(builder(newRegId()));
    FakeConnector.Connection connection = server.accept();
    connection.readConnect();
    connection.send(Frame.v3(Signal.CONNECT_ACK, ConnectResult.SERVER_UNAVAILABLE.code(), 1, null));

    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("disconnected rejected: SERVER_UNAVAILABLE");
    server.acceptAndAuthenticate("node-b");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-b");
  }

  @Test
  void reconnectsWhenTheServerDropsTheConnection() throws Exception {
    PushClient client = start(builder(newRegId()));
    FakeConnector.Connection first = server.acceptAndAuthenticate("node-a");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-a");

    first.close();

    assertThat(listener.nextEvent()).isEqualTo("disconnected connection closed by server");
    FakeConnector.Connection second = server.acceptAndAuthenticate("node-b");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-b");
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);

    second.push(push("after-reconnect", "p"));
    assertThat(second.readAck().getMsgIdsList()).containsExactly("after-reconnect");
  }

  @Test
  void sendsHeartbeatsAndReconnectsWhenNoPongComes() throws Exception {
    start(builder(newRegId()).heartbeatInterval(100).pongTimeout(300));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");

    Frame ping = connection.read(Signal.PING);
    assertThat(ping.subSignal()).isZero();
    assertThat(Ping.parseFrom(ping.body()).getIntervalMs()).isEqualTo(100);
    connection.send(
        Frame.v3(Signal.PING, 1, ping.messageId(), Pong.newBuilder().setIntervalMs(100).build()));
    Frame next = connection.read(Signal.PING);
    assertThat(next.messageId()).isNotEqualTo(ping.messageId());

    // Answered pings keep the connection; unanswered ones end it.
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-a");
    assertThat(listener.nextEvent()).isEqualTo("disconnected heartbeat timeout: no pong within 300 ms");
    server.acceptAndAuthenticate("node-b");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-b");
  }

  @Test
  void keepsTheHeartbeatIntervalTheServerAccepted() throws Exception {
    start(builder(newRegId()).heartbeatInterval(60_000));
    FakeConnector.Connection connection = server.accept();
    connection.readConnect();
    ConnectAck ack =
        ConnectAck.newBuilder().setResult(1).setNodeId("node-a").setHeartbeatIntervalMs(100).build();
    connection.send(Frame.v3(Signal.CONNECT_ACK, 1, 1, ack));

    Frame ping = connection.read(Signal.PING);
    assertThat(Ping.parseFrom(ping.body()).getIntervalMs()).isEqualTo(100);
  }

  @Test
  void aFrameSplitIntoSingleBytesAndAFrameLargerThanTheReadBufferBothArrive() throws Exception {
    start(builder(newRegId()));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");

    byte[] split = FrameEncoder.encode(Frame.v3(Signal.PUSH, 0, 0, push("split", "\"s\"")));
    for (byte b : split) {
      connection.sendRaw(new byte[] {b});
    }
    StringBuilder big = new StringBuilder();
    while (big.length() < 1_000_000) {
      big.append("0123456789");
    }
    connection.push(push("big", big.toString()));

    assertThat(connection.readAck().getMsgIdsList()).containsExactly("split");
    assertThat(connection.readAck().getMsgIdsList()).containsExactly("big");
    assertThat(listener.nextMessage().payloadAsString()).isEqualTo("\"s\"");
    assertThat(listener.nextMessage().payloadAsString()).isEqualTo(big.toString());
  }

  @Test
  void aProtocolErrorClosesWithTheReasonTellsTheServerAndReconnects() throws Exception {
    start(builder(newRegId()));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-a");

    connection.sendRaw(new byte[] {0x42, 0x42, 0x42});

    assertThat(listener.nextEvent()).startsWith("disconnected protocol error: BAD_MAGIC");
    Frame goodbye = connection.read(Signal.DISCONNECT);
    assertThat(Disconnect.parseFrom(goodbye.body()).getReasonCode())
        .isEqualTo(DisconnectReason.PROTOCOL_ERROR.code());
    server.acceptAndAuthenticate("node-b");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-b");
  }

  @Test
  void aFrameOverTheLimitIsAProtocolError() throws Exception {
    start(builder(newRegId()).maxFrameLength(1024));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-a");

    StringBuilder payload = new StringBuilder();
    while (payload.length() < 2048) {
      payload.append('x');
    }
    connection.push(push("too-big", payload.toString()));

    assertThat(listener.nextEvent()).startsWith("disconnected protocol error: FRAME_TOO_LARGE");
  }

  @Test
  void followsTheServersRedirectToAnotherConnector() throws Exception {
    try (FakeConnector other = new FakeConnector()) {
      start(builder(newRegId()));
      FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");
      Disconnect disconnect =
          Disconnect.newBuilder()
              .setReasonCode(DisconnectReason.SERVER_SHUTDOWN.code())
              .setReason("draining")
              .addRedirect("127.0.0.1:" + other.port())
              .build();
      connection.send(Frame.v3(Signal.DISCONNECT, DisconnectReason.SERVER_SHUTDOWN.code(), 0, disconnect));

      other.acceptAndAuthenticate("node-b");
      assertThat(listener.nextEvent()).isEqualTo("connecting");
      assertThat(listener.nextEvent()).isEqualTo("connected node-a");
      assertThat(listener.nextEvent()).isEqualTo("disconnected server disconnected: SERVER_SHUTDOWN draining");
      assertThat(listener.nextEvent()).isEqualTo("connecting");
      assertThat(listener.nextEvent()).isEqualTo("connected node-b");
    }
  }

  @Test
  void closeSaysGoodbyeAndStopsTheIoThread() throws Exception {
    String regId = newRegId();
    PushClient client = start(builder(regId));
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-a");

    client.close();

    Frame goodbye = connection.read(Signal.DISCONNECT);
    assertThat(Disconnect.parseFrom(goodbye.body()).getReasonCode()).isEqualTo(DisconnectReason.NORMAL.code());
    assertThat(Disconnect.parseFrom(goodbye.body()).getClearSession()).isFalse();
    assertThat(connection.readsEndOfStream()).isTrue();
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    assertThat(listener.nextEvent()).isEqualTo("disconnected closed by client");
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("universe-push-" + regId) && t.isAlive());
    assertThatThrownBy(client::connect).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeWhileWaitingToReconnectEndsQuietly() throws Exception {
    String regId = newRegId();
    PushClient client = start(builder(regId).reconnectBackoff(60_000, 60_000));
    server.accept().close();
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).startsWith("disconnected ");
    await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.WAITING_TO_RECONNECT);

    client.close();

    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("universe-push-" + regId) && t.isAlive());
    assertThat(listener.events).isEmpty();
  }

  @Test
  void aClientNeverConnectedClosesWithoutAThread() {
    PushClient client = builder(newRegId()).build();
    assertThat(client.state()).isEqualTo(ConnectionState.NEW);
    client.close();
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
  }

  @Test
  void buildRequiresCredentialsAndAWayToAConnector() {
    assertThatThrownBy(() -> PushClient.builder().endpoint("127.0.0.1", 1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("credentials");
    assertThatThrownBy(() -> PushClient.builder().credentials("a", "r", "t").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no way to find a connector");
    // The device's own token opens its route lookups: the API URL alone is a way to a connector.
    PushClient.builder().apiUrl("http://127.0.0.1:1").credentials("a", "r", "t").build().close();
  }
}
