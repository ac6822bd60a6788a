package io.universepush.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Pong;
import io.universepush.protocol.proto.Push;
import io.universepush.sdk.MemoryDedupStore;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session's protocol decisions, without sockets: frames in, frames and verdicts out. */
class ClientSessionTest {
  private final List<Frame> sent = new ArrayList<Frame>();
  private final List<String> verdicts = new ArrayList<String>();
  private final List<PushMessage> delivered = new ArrayList<PushMessage>();

  private final ClientSession session =
      new ClientSession(
          new ClientSession.Settings("app", "reg", "tok", "android", "test", 1000, 300),
          new MemoryDedupStore(10),
          new PushListener() {
            @Override
            public void onMessage(PushMessage message) {
              delivered.add(message);
            }
          },
          new ClientSession.Transport() {
            @Override
            public void send(Frame frame) {
              sent.add(frame);
            }

            @Override
            public void accepted(String nodeId) {
              verdicts.add("accepted " + nodeId);
            }

            @Override
            public void failed(String reason, boolean persistent, List<String> redirect) {
              verdicts.add((persistent ? "persistent " : "") + reason + (redirect.isEmpty() ? "" : " " + redirect));
            }
          });

  private void connect(long now) {
    session.start();
    session.onFrame(
        Frame.v3(Signal.CONNECT_ACK, 1, 1, ConnectAck.newBuilder().setResult(1).setNodeId("n").build()), now);
    sent.clear();
    verdicts.clear();
  }

  @Test
  void aRejectionNamesTheCodeAndTheBindingsReasonWhenTheAckHasNone() {
    session.start();
    ConnectAck ack =
        ConnectAck.newBuilder()
            .setResult(6)
            .addBindings(BindingResult.newBuilder().setResult(6).setReason("app disabled"))
            .build();

    session.onFrame(Frame.v3(Signal.CONNECT_ACK, 6, 1, ack), 0);

    assertThat(verdicts).containsExactly("persistent rejected: NOT_AUTHORIZED app disabled");
  }

  @Test
  void anUnknownRejectionCodeIsStillReported() {
    session.start();
    session.onFrame(Frame.v3(Signal.CONNECT_ACK, 42, 1, null), 0);
    assertThat(verdicts).containsExactly("rejected: code 42");
  }

  @Test
  void aPushBeforeTheAckIsAProtocolError() {
    session.start();
    sent.clear();

    session.onFrame(Frame.v3(Signal.PUSH, 0, 0, Push.newBuilder().setMsgId("m").build()), 0);

    assertThat(verdicts).containsExactly("protocol error: UNEXPECTED_FRAME: PUSH before CONNECT_ACK");
    assertThat(sent).extracting(Frame::signal).containsExactly(Signal.DISCONNECT);
  }

  @Test
  void aLegacyFrameOnAVersion3ConnectionIsAProtocolError() {
    connect(0);
    session.onFrame(Frame.text(ProtocolVersion.V2, Signal.PUSH, 0, 0, "hi"), 0);
    assertThat(verdicts).singleElement().asString().startsWith("protocol error: UNEXPECTED_FRAME");
    assertThat(delivered).isEmpty();
  }

  @Test
  void aBodyThatIsNotProtobufIsAProtocolError() {
    connect(0);
    session.onFrame(Frame.of(ProtocolVersion.V3, Signal.PUSH, 0, 0, new byte[] {(byte) 0xFF, 0x01}), 0);
    assertThat(verdicts).singleElement().asString().startsWith("protocol error: MALFORMED_BODY: PUSH body");
  }

  @Test
  void pingsOnScheduleAndGivesUpWhenThePongIsLate() {
    connect(0);
    assertThat(session.nextTimerAt()).isEqualTo(1000);

    session.onTimer(1000);
    assertThat(sent).extracting(Frame::signal).containsExactly(Signal.PING);
    session.onFrame(Frame.v3(Signal.PING, 1, sent.get(0).messageId(), Pong.getDefaultInstance()), 1100);
    session.onTimer(2000);
    session.onTimer(2299);
    assertThat(verdicts).isEmpty();
    session.onTimer(2300);

    assertThat(verdicts).containsExactly("heartbeat timeout: no pong within 300 ms");
  }

  @Test
  void answersAServerPing() {
    connect(0);
    session.onFrame(Frame.v3(Signal.PING, 0, 77, null), 0);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).subSignal()).isEqualTo(1);
    assertThat(sent.get(0).messageId()).isEqualTo(77);
  }

  @Test
  void deliversOnceAcksEveryTime() throws Exception {
    connect(0);
    Push push = Push.newBuilder().setMsgId("m").setPayload(ByteString.copyFromUtf8("p")).build();

    session.onFrame(Frame.v3(Signal.PUSH, 0, 0, push), 0);
    session.onFrame(Frame.v3(Signal.PUSH, 0, 0, push), 0);

    assertThat(delivered).hasSize(1);
    assertThat(sent).hasSize(2);
    for (Frame ack : sent) {
      assertThat(ack.signal()).isEqualTo(Signal.PUB_ACK);
      assertThat(Ack.parseFrom(ack.body()).getMsgIdsList()).containsExactly("m");
    }
  }

  @Test
  void aServerDisconnectCarriesItsReasonAndRedirect() {
    connect(0);
    Disconnect disconnect =
        Disconnect.newBuilder().setReasonCode(4).setReason("elsewhere").addRedirect("h:1").build();
    session.onFrame(Frame.v3(Signal.DISCONNECT, 4, 0, disconnect), 0);
    assertThat(verdicts).containsExactly("persistent server disconnected: SESSION_TAKEN_OVER elsewhere [h:1]");
  }
}
