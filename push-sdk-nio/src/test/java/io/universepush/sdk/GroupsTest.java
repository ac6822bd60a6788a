package io.universepush.sdk;

import static io.universepush.sdk.FakeConnector.accepted;
import static io.universepush.sdk.FakeConnector.group;
import static io.universepush.sdk.FakeConnector.groupPositionsIn;
import static io.universepush.sdk.FakeConnector.positionIn;
import static io.universepush.sdk.FakeConnector.withGroups;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.ByteString;
import io.universepush.protocol.Frame;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.GroupStart;
import io.universepush.protocol.proto.Publish;
import io.universepush.protocol.proto.PublishAck;
import io.universepush.protocol.proto.Push;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group chat over real connections: group channels' positions, group messages, and upstream PUBLISH. */
class GroupsTest {
  private static final String APP = "app-1";
  private static final String REG = "reg-1";

  private FakeConnector server;
  private RecordingListener listener;
  private MemoryPositionStore positions;
  private final List<PushClient> clients = new ArrayList<PushClient>();

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeConnector();
    listener = new RecordingListener();
    positions = new MemoryPositionStore();
  }

  @AfterEach
  void stop() throws Exception {
    for (PushClient client : clients) {
      client.close();
    }
    server.close();
  }

  private PushClient.Builder builder() {
    return PushClient.builder()
        .endpoint("127.0.0.1", server.port())
        .credentials(APP, REG, "token-1")
        .positionStore(positions)
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

  private static void accept(FakeConnector.Connection connection, GroupStart... groups) throws Exception {
    BindingResult binding = withGroups(accepted(APP, REG, true, new FanoutPosition(5, "e1")), groups);
    connection.acceptConnect("node-a", Collections.singletonList(binding));
  }

  /** A connected client: CONNECT read, accepted with {@code groups}, the app told. */
  private FakeConnector.Connection connected(GroupStart... groups) throws Exception {
    FakeConnector.Connection connection = server.accept();
    connection.readConnect();
    accept(connection, groups);
    awaitConnected();
    return connection;
  }

  private void awaitConnected() throws InterruptedException {
    String event;
    do {
      event = listener.nextEvent();
    } while (!event.startsWith("connected"));
  }

  private static Push groupMessage(String msgId, String groupId, long prevSeq, long seq) {
    return Push.newBuilder()
        .setMsgId(msgId)
        .setAppId(APP)
        .setRegId(REG)
        .setGroupId(groupId)
        .setFrom("reg-2")
        .setFanoutPrevOffset(prevSeq)
        .setFanoutOffset(seq)
        .setPayload(ByteString.copyFromUtf8("{\"text\":\"hi\"}"))
        .setAttempt(1)
        .build();
  }

  private static PublishException failureOf(PublishFuture future) throws Exception {
    Throwable thrown = catchThrowable(() -> future.get(10, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PublishException.class);
    return (PublishException) thrown.getCause();
  }

  @Test
  void aGroupMessageArrivesWithItsGroupAndSeqAndOnlyItsGroupsPositionGoesBackInConnect() throws Exception {
    positions.savePosition(APP, REG, new FanoutPosition(5, "e1"));
    start(builder());
    FakeConnector.Connection first = server.accept();
    assertThat(groupPositionsIn(first.readConnect(), 0)).isEmpty();
    // A group the client sent no position for: it starts where the server says.
    accept(first, group("g-1", true, new FanoutPosition(10, "ge")));

    first.push(groupMessage("gm-11", "g-1", 10, 11));
    assertThat(first.readAck().getMsgIdsList()).containsExactly("gm-11");

    PushMessage message = listener.nextMessage();
    assertThat(message.groupId()).isEqualTo("g-1");
    assertThat(message.seq()).isEqualTo(11);
    assertThat(message.from()).isEqualTo("reg-2");
    assertThat(message.fanoutOffset()).isZero();
    assertThat(message.payloadAsString()).isEqualTo("{\"text\":\"hi\"}");
    assertThat(positions.position(APP, REG)).isEqualTo(new FanoutPosition(5, "e1"));
    assertThat(positions.position(APP, REG, "g-1")).isEqualTo(new FanoutPosition(11, "ge"));
    first.close();

    FakeConnector.Connection second = server.accept();
    Connect again = second.readConnect();
    assertThat(positionIn(again, 0)).isEqualTo(new FanoutPosition(5, "e1"));
    assertThat(groupPositionsIn(again, 0)).containsExactly(entry("g-1", new FanoutPosition(11, "ge")));
  }

  @Test
  void aLostGroupIsReportedOnceAndAGroupNoLongerListedIsForgotten() throws Exception {
    positions.savePosition(APP, REG, "g-1", new FanoutPosition(3, "old"));
    positions.savePosition(APP, REG, "g-gone", new FanoutPosition(7, "x"));
    start(builder());
    FakeConnector.Connection first = server.accept();
    assertThat(groupPositionsIn(first.readConnect(), 0))
        .containsOnly(entry("g-1", new FanoutPosition(3, "old")), entry("g-gone", new FanoutPosition(7, "x")));
    accept(first, group("g-1", false, new FanoutPosition(20, "new")));

    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-a");
    assertThat(listener.nextEvent()).isEqualTo("group lost " + APP + "/" + REG + " g-1");
    assertThat(positions.groupPositions(APP, REG)).containsOnly(entry("g-1", new FanoutPosition(20, "new")));
    first.close();

    FakeConnector.Connection second = server.accept();
    assertThat(groupPositionsIn(second.readConnect(), 0)).containsOnly(entry("g-1", new FanoutPosition(20, "new")));
    accept(second, group("g-1", true, new FanoutPosition(20, "new")));
    second.untilPong();
    assertThat(listener.events).filteredOn(event -> event.startsWith("group lost")).isEmpty();
  }

  @Test
  void sendToGroupWritesPublishAndCompletesWithTheAnswersSeqAndMsgId() throws Exception {
    PushClient client = start(builder());
    FakeConnector.Connection connection = connected(group("g-1", true, new FanoutPosition(0, "ge")));

    PublishFuture future = client.sendToGroup("g-1", "{\"text\":\"hello\"}", 120);
    BlockingQueue<PublishResult> called = new LinkedBlockingQueue<PublishResult>();
    future.whenDone(
        new PublishFuture.Callback() {
          @Override
          public void onResult(PublishResult result) {
            called.add(result);
          }

          @Override
          public void onFailure(PublishException failure) {}
        });

    Frame publish = connection.readPublish();
    assertThat(publish.subSignal()).isEqualTo(1);
    Publish body = Publish.parseFrom(publish.body());
    assertThat(body.getRegId()).isEqualTo(REG);
    assertThat(body.getGroupId()).isEqualTo("g-1");
    assertThat(body.getPayload().toStringUtf8()).isEqualTo("{\"text\":\"hello\"}");
    assertThat(body.getTtlSeconds()).isEqualTo(120);
    connection.answer(
        publish, PublishAck.newBuilder().setResult(0).setMsgId("gm-42").setSeq(42).setServerTimeMs(99).build());

    PublishResult result = future.get(10, TimeUnit.SECONDS);
    assertThat(result.isOk()).isTrue();
    assertThat(result.seq()).isEqualTo(42);
    assertThat(result.msgId()).isEqualTo("gm-42");
    assertThat(called.poll(10, TimeUnit.SECONDS)).isEqualTo(result);
  }

  @Test
  void aRefusalCompletesWithItsCode() throws Exception {
    PushClient client = start(builder());
    FakeConnector.Connection connection = connected();

    PublishFuture future = client.sendToGroup("g-other", "{}", 0);
    connection.answer(
        connection.readPublish(), PublishAck.newBuilder().setResult(1).setReason("not a member of g-other").build());

    PublishResult result = future.get(10, TimeUnit.SECONDS);
    assertThat(result.code()).isEqualTo(PublishResult.NOT_A_MEMBER);
    assertThat(result.reason()).isEqualTo("not a member of g-other");
  }

  @Test
  void aConnectionLostBeforeTheAnswerFailsThePendingResults() throws Exception {
    PushClient client = start(builder());
    FakeConnector.Connection connection = connected();
    PublishFuture first = client.sendToGroup("g-1", "{}", 0);
    PublishFuture second = client.sendTo("reg-2", "{}", 0);
    connection.readPublish();
    connection.readPublish();

    connection.close();

    for (PublishFuture future : Arrays.asList(first, second)) {
      PublishException failure = failureOf(future);
      assertThat(failure.isAnswerLost()).isTrue();
      assertThat(failure).hasMessageStartingWith("connection ended before the answer: ");
    }
    // Nothing is sent again on the next connection.
    FakeConnector.Connection next = server.accept();
    next.readConnect();
    accept(next);
    assertThat(next.untilPong()).isEmpty();
  }

  @Test
  void callsWhileNotConnectedFailFast() throws Exception {
    PushClient client = builder().build();
    clients.add(client);
    PublishException beforeConnect = failureOf(client.sendToGroup("g-1", "{}", 0));
    assertThat(beforeConnect).hasMessageContaining("not connected");
    assertThat(beforeConnect.isAnswerLost()).isFalse();

    client.connect();
    FakeConnector.Connection connection = server.accept();
    connection.readConnect();
    // Connected on TCP, but CONNECT is not answered yet.
    assertThat(failureOf(client.joinGroup("g-1"))).hasMessageContaining("not connected");

    client.close();
    assertThat(failureOf(client.leaveGroup("g-1"))).hasMessageContaining("not connected");
  }

  @Test
  void joinLeaveAndSendToWriteSubSignals3And4And2() throws Exception {
    PushClient client = start(builder());
    FakeConnector.Connection connection = connected(group("g-1", true, new FanoutPosition(4, "ge")));

    PublishFuture join = client.joinGroup("g-new");
    PublishFuture leave = client.leaveGroup("g-1");
    PublishFuture single = client.sendTo("alias-bob", "{\"x\":1}", 30);

    Frame joinFrame = connection.readPublish();
    Frame leaveFrame = connection.readPublish();
    Frame singleFrame = connection.readPublish();
    assertThat(joinFrame.subSignal()).isEqualTo(3);
    assertThat(Publish.parseFrom(joinFrame.body()).getGroupId()).isEqualTo("g-new");
    assertThat(leaveFrame.subSignal()).isEqualTo(4);
    assertThat(Publish.parseFrom(leaveFrame.body()).getGroupId()).isEqualTo("g-1");
    assertThat(singleFrame.subSignal()).isEqualTo(2);
    Publish body = Publish.parseFrom(singleFrame.body());
    assertThat(body.getTo()).isEqualTo("alias-bob");
    assertThat(body.getPayload().toStringUtf8()).isEqualTo("{\"x\":1}");
    assertThat(body.getTtlSeconds()).isEqualTo(30);

    connection.answer(singleFrame, PublishAck.newBuilder().setResult(5).setReason("no such device").build());
    connection.answer(leaveFrame, PublishAck.newBuilder().setResult(0).setMsgId("g-1").build());
    connection.answer(joinFrame, PublishAck.newBuilder().setResult(0).setMsgId("g-new").build());

    assertThat(single.get(10, TimeUnit.SECONDS).code()).isEqualTo(PublishResult.RECIPIENT_NOT_FOUND);
    assertThat(leave.get(10, TimeUnit.SECONDS).isOk()).isTrue();
    assertThat(join.get(10, TimeUnit.SECONDS).isOk()).isTrue();
    // Left: the group's position is not kept for the next CONNECT.
    assertThat(positions.groupPositions(APP, REG)).isEmpty();
  }

  @Test
  void withSeveralBindingsTheAppIdNamesTheSender() throws Exception {
    PushClient client =
        start(
            PushClient.builder()
                .endpoint("127.0.0.1", server.port())
                .binding("app-a", "reg-a", "token-a")
                .binding("app-b", "reg-b", "token-b")
                .listener(listener));
    FakeConnector.Connection connection = server.accept();
    connection.readConnect();
    connection.acceptConnect("node-a");
    awaitConnected();

    assertThatThrownBy(() -> client.sendToGroup("g-1", "{}", 0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> client.sendToGroup("app-x", "g-1", "{}", 0))
        .isInstanceOf(IllegalArgumentException.class);
    PublishFuture future = client.sendToGroup("app-b", "g-1", "{}", 0);

    Frame publish = connection.readPublish();
    assertThat(Publish.parseFrom(publish.body()).getRegId()).isEqualTo("reg-b");
    connection.answer(publish, PublishAck.newBuilder().setResult(0).setSeq(1).build());
    assertThat(future.get(10, TimeUnit.SECONDS).seq()).isEqualTo(1);
  }
}
