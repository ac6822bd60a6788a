package io.universepush.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.Push;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One connection shared by several apps of a phone: one binding each. */
class SeveralAppsTest {
  private FakeConnector server;
  private RecordingListener listener;
  private PushClient client;

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeConnector();
    listener = new RecordingListener();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private PushClient.Builder twoApps() {
    return PushClient.builder()
        .endpoint("127.0.0.1", server.port())
        .binding("app-a", "reg-a", "token-a")
        .binding("app-b", "reg-b", "token-b")
        .listener(listener)
        .reconnectBackoff(20, 200)
        .reconnectJitter(0);
  }

  private static Push push(String msgId, String appId, String regId) {
    return Push.newBuilder()
        .setMsgId(msgId)
        .setAppId(appId)
        .setRegId(regId)
        .setPayload(ByteString.copyFromUtf8("\"" + appId + "\""))
        .setAttempt(1)
        .build();
  }

  private static BindingResult result(String appId, String regId, ConnectResult result, String reason) {
    return BindingResult.newBuilder()
        .setAppId(appId)
        .setRegId(regId)
        .setResult(result.code())
        .setReason(reason)
        .build();
  }

  @Test
  void connectCarriesEveryBindingWithItsOwnPosition() throws Exception {
    MemoryPositionStore positions = new MemoryPositionStore();
    positions.savePosition("app-b", "reg-b", new FanoutPosition(5, "e1"));
    client = twoApps().positionStore(positions).build();
    client.connect();

    Connect connect = server.accept().readConnect();

    assertThat(connect.getBindingsList())
        .extracting(
            b -> b.getAppId() + "/" + b.getRegId() + "/" + b.getToken() + "/"
                + (b.hasFanoutPosition() ? b.getFanoutPosition().getOffset() + "@" + b.getFanoutPosition().getEpoch() : "none"))
        .containsExactly("app-a/reg-a/token-a/none", "app-b/reg-b/token-b/5@e1");
  }

  @Test
  void theSameMessageIdForTwoAppsReachesBothAndARedeliveryReachesNeither() throws Exception {
    client = twoApps().build();
    client.connect();
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");

    connection.push(push("same-id", "app-a", "reg-a"));
    connection.push(push("same-id", "app-b", "reg-b"));
    connection.push(push("same-id", "app-a", "reg-a").toBuilder().setAttempt(2).build());
    connection.push(push("same-id", "app-b", "reg-b").toBuilder().setAttempt(2).build());
    List<String> acks = new ArrayList<String>();
    for (int i = 0; i < 4; i++) {
      Ack ack = connection.readAck();
      acks.add(ack.getRegId() + " " + ack.getMsgIdsList());
    }
    // One ack per binding's delivery, each naming its binding: the connector settles that binding alone.
    assertThat(acks).containsExactly("reg-a [same-id]", "reg-b [same-id]", "reg-a [same-id]", "reg-b [same-id]");
    connection.push(push("last", "app-a", "reg-a"));
    connection.readAck();

    PushMessage first = listener.nextMessage();
    PushMessage second = listener.nextMessage();
    assertThat(first.appId() + "/" + first.regId() + " " + first.payloadAsString())
        .isEqualTo("app-a/reg-a \"app-a\"");
    assertThat(second.appId() + "/" + second.regId() + " " + second.payloadAsString())
        .isEqualTo("app-b/reg-b \"app-b\"");
    assertThat(listener.nextMessage().msgId()).isEqualTo("last");
    assertThat(listener.messages).isEmpty();
  }

  @Test
  void aRejectedBindingIsReportedAndTheOtherKeepsWorking() throws Exception {
    client = twoApps().build();
    client.connect();
    FakeConnector.Connection connection = server.accept();
    connection.readConnect();
    connection.acceptConnect(
        "node-a",
        Arrays.asList(
            result("app-a", "reg-a", ConnectResult.ACCEPTED, ""),
            result("app-b", "reg-b", ConnectResult.BAD_CREDENTIALS, "unknown token")));

    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-a");
    assertThat(listener.nextEvent()).isEqualTo("binding rejected app-b/reg-b: BAD_CREDENTIALS unknown token");
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);

    connection.push(push("for-a", "app-a", "reg-a"));
    Ack ack = connection.readAck();
    assertThat(ack.getMsgIdsList()).containsExactly("for-a");
    assertThat(ack.getRegId()).isEqualTo("reg-a");
    assertThat(listener.nextMessage().appId()).isEqualTo("app-a");
    assertThat(server.pollConnection(300)).isNull();
  }

  @Test
  void credentialsIsTheOneBindingShortcutAndBindingReplacesATokenOfTheSameDevice() throws Exception {
    client =
        twoApps()
            .credentials("app-c", "reg-c", "token-c")
            .binding("app-d", "reg-d", "old")
            .binding("app-d", "reg-d", "new")
            .build();
    client.connect();

    Connect connect = server.accept().readConnect();

    assertThat(connect.getBindingsList())
        .extracting(b -> b.getAppId() + "/" + b.getToken())
        .containsExactly("app-c/token-c", "app-d/new");
  }

  @Test
  void aPushWithoutAppAndRegIdOnAOneBindingConnectionIsThatBindings() throws Exception {
    client =
        PushClient.builder()
            .endpoint("127.0.0.1", server.port())
            .credentials("app-a", "reg-a", "token-a")
            .listener(listener)
            .build();
    client.connect();
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");

    connection.push(Push.newBuilder().setMsgId("m").build());
    assertThat(connection.readAck().getRegId()).isEqualTo("reg-a");

    PushMessage message = listener.nextMessage();
    assertThat(message.appId()).isEqualTo("app-a");
    assertThat(message.regId()).isEqualTo("reg-a");
    assertThat(message.msgId()).isEqualTo("m");
  }
}
