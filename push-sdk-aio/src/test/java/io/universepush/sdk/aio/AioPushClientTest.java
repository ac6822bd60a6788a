package io.universepush.sdk.aio;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameDecoder;
import io.universepush.protocol.FrameInputStream;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Publish;
import io.universepush.protocol.proto.PublishAck;
import io.universepush.protocol.proto.Push;
import io.universepush.sdk.ConnectionState;
import io.universepush.sdk.FanoutPosition;
import io.universepush.sdk.MemoryPositionStore;
import io.universepush.sdk.PublishFuture;
import io.universepush.sdk.PublishResult;
import io.universepush.sdk.PushMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The AIO client against a connector stand-in on a loopback socket speaking push-protocol's own codec. */
class AioPushClientTest {
  private ServerSocket server;
  private Socket socket;
  private FrameInputStream frames;
  private final RecordingListener listener = new RecordingListener();
  private final BlockingQueue<PushMessage> messages = listener.messages;
  private final BlockingQueue<String> events = listener.events;
  private AioPushClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
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

  private void startClient() {
    MemoryPositionStore positions = new MemoryPositionStore();
    positions.savePosition("app-1", "reg-1", new FanoutPosition(7, "e1"));
    client =
        AioPushClient.builder()
            .endpoint("127.0.0.1", server.getLocalPort())
            .credentials("app-1", "reg-1", "token-1")
            .positionStore(positions)
            .listener(listener)
            .build();
    client.connect();
  }

  private Frame read() throws Exception {
    return frames.read();
  }

  private Frame read(Signal expected) throws Exception {
    Frame frame = read();
    assertThat(frame.signal()).isEqualTo(expected);
    return frame;
  }

  private void send(Frame frame) throws IOException {
    socket.getOutputStream().write(FrameEncoder.encode(frame));
    socket.getOutputStream().flush();
  }

  private void acceptAndAuthenticate() throws Exception {
    socket = server.accept();
    socket.setSoTimeout(10_000);
    // A fresh stream per connection: nothing unread from a dropped one carries over.
    frames = new FrameInputStream(socket.getInputStream(), FrameDecoder.DEFAULT_MAX_BODY_LENGTH);
    Connect connect = Connect.parseFrom(read(Signal.CONNECT).body());
    assertThat(connect.getBindings(0).getAppId()).isEqualTo("app-1");
    assertThat(connect.getBindings(0).getToken()).isEqualTo("token-1");
    assertThat(connect.getBindings(0).getFanoutPosition().getOffset()).isEqualTo(7);
    assertThat(connect.getBindings(0).getFanoutPosition().getEpoch()).isEqualTo("e1");
    ConnectAck ack = ConnectAck.newBuilder().setResult(ConnectResult.ACCEPTED.code()).setNodeId("node-a").build();
    send(Frame.v3(Signal.CONNECT_ACK, ConnectResult.ACCEPTED.code(), 1, ack));
  }

  private static Push push(String msgId, int attempt) {
    return Push.newBuilder()
        .setMsgId(msgId)
        .setAppId("app-1")
        .setRegId("reg-1")
        .setPayload(ByteString.copyFromUtf8("{\"n\":1}"))
        .setAttempt(attempt)
        .build();
  }

  @Test
  void receivesAcknowledgesAndDeduplicatesAPushThenLogsOut() throws Exception {
    startClient();
    acceptAndAuthenticate();
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("connected node-a");
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);

    send(Frame.v3(Signal.PUSH, 0, 0, push("m-1", 1)));
    send(Frame.v3(Signal.PUSH, 0, 0, push("m-1", 2)));
    for (int i = 0; i < 2; i++) {
      Ack ack = Ack.parseFrom(read(Signal.PUB_ACK).body());
      assertThat(ack.getMsgIdsList()).containsExactly("m-1");
      assertThat(ack.getRegId()).isEqualTo("reg-1");
    }

    PushMessage message = messages.poll(10, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    assertThat(message.msgId()).isEqualTo("m-1");
    assertThat(message.payloadAsString()).isEqualTo("{\"n\":1}");
    assertThat(messages).isEmpty();

    client.logout();

    Disconnect goodbye = Disconnect.parseFrom(read(Signal.DISCONNECT).body());
    assertThat(goodbye.getClearSession()).isTrue();
    assertThat(socket.getInputStream().read()).isEqualTo(-1);
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected logged out");
  }

  @Test
  void reconnectsWhenTheServerDropsTheConnection() throws Exception {
    startClient();
    acceptAndAuthenticate();
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("connected node-a");

    socket.close();

    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected connection closed by server");
    acceptAndAuthenticate();
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("connected node-a");
  }

  @Test
  void aGroupMessageArrivesWithItsGroupAndSeq() throws Exception {
    startClient();
    acceptAndAuthenticate();
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("connected node-a");

    send(
        Frame.v3(
            Signal.PUSH,
            0,
            0,
            push("gm-3", 1).toBuilder().setGroupId("g-1").setFrom("reg-2").setFanoutPrevOffset(2).setFanoutOffset(3)
                .build()));

    assertThat(Ack.parseFrom(read(Signal.PUB_ACK).body()).getMsgIdsList()).containsExactly("gm-3");
    PushMessage message = messages.poll(10, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    assertThat(message.groupId()).isEqualTo("g-1");
    assertThat(message.seq()).isEqualTo(3);
    assertThat(message.from()).isEqualTo("reg-2");
  }

  @Test
  void sendToGroupCompletesWithTheAnswer() throws Exception {
    startClient();
    acceptAndAuthenticate();
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("connected node-a");

    PublishFuture future = client.sendToGroup("g-1", "{\"t\":1}", 60);

    Frame publish = read(Signal.PUBLISH);
    assertThat(publish.subSignal()).isEqualTo(1);
    Publish body = Publish.parseFrom(publish.body());
    assertThat(body.getGroupId()).isEqualTo("g-1");
    assertThat(body.getPayload().toStringUtf8()).isEqualTo("{\"t\":1}");
    assertThat(body.getTtlSeconds()).isEqualTo(60);
    PublishAck ack = PublishAck.newBuilder().setResult(0).setMsgId("gm-8").setSeq(8).build();
    send(Frame.v3(Signal.PUB_ACK, 0, publish.messageId(), ack));

    PublishResult result = future.get(10, TimeUnit.SECONDS);
    assertThat(result.isOk()).isTrue();
    assertThat(result.seq()).isEqualTo(8);
    assertThat(result.msgId()).isEqualTo("gm-8");
  }
}
