package io.universepush.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.GroupStart;
import io.universepush.protocol.proto.Pong;
import io.universepush.protocol.proto.Publish;
import io.universepush.protocol.proto.PublishAck;
import io.universepush.protocol.proto.Push;
import io.universepush.protocol.proto.StreamPosition;
import io.universepush.sdk.DedupStore;
import io.universepush.sdk.FanoutPosition;
import io.universepush.sdk.MemoryDedupStore;
import io.universepush.sdk.MemoryPositionStore;
import io.universepush.sdk.PositionStore;
import io.universepush.sdk.PublishException;
import io.universepush.sdk.PublishResult;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The session's protocol decisions, without sockets: frames in, frames and verdicts out. */
class ClientSessionTest {
  private final List<Frame> sent = new ArrayList<Frame>();
  private final List<String> verdicts = new ArrayList<String>();
  private final List<PushMessage> delivered = new ArrayList<PushMessage>();
  /** What the session asked of its stores, listener and transport, in order. */
  private final List<String> log = new ArrayList<String>();
  /** Message ids whose onMessage throws. */
  private final Set<String> failing = new HashSet<String>();
  private final MemoryPositionStore positions = new MemoryPositionStore();

  private final DedupStore dedup =
      new DedupStore() {
        private final MemoryDedupStore memory = new MemoryDedupStore(10);

        @Override
        public boolean seen(String key) {
          log.add("seen? " + key.substring(key.lastIndexOf('\n') + 1));
          return memory.seen(key);
        }

        @Override
        public void markSeen(String key) {
          log.add("mark " + key.substring(key.lastIndexOf('\n') + 1));
          memory.markSeen(key);
        }
      };

  private final PositionStore recordingPositions =
      new PositionStore() {
        @Override
        public FanoutPosition position(String appId, String regId) {
          return positions.position(appId, regId);
        }

        @Override
        public void savePosition(String appId, String regId, FanoutPosition position) {
          savePosition(appId, regId, APP_CHANNEL, position);
        }

        @Override
        public FanoutPosition position(String appId, String regId, String channel) {
          return positions.position(appId, regId, channel);
        }

        @Override
        public void savePosition(String appId, String regId, String channel, FanoutPosition position) {
          log.add("save " + (channel.isEmpty() ? "" : channel + " ") + position);
          positions.savePosition(appId, regId, channel, position);
        }

        @Override
        public void forgetGroup(String appId, String regId, String groupId) {
          log.add("forget " + groupId);
          positions.forgetGroup(appId, regId, groupId);
        }

        @Override
        public Map<String, FanoutPosition> groupPositions(String appId, String regId) {
          return positions.groupPositions(appId, regId);
        }
      };

  private final ClientSession session =
      new ClientSession(
          new ClientSession.Settings("app", "reg", "tok", "android", "test", 1000, 300),
          dedup,
          recordingPositions,
          new PushListener() {
            @Override
            public void onMessage(PushMessage message) {
              log.add("onMessage " + message.msgId());
              if (failing.contains(message.msgId())) {
                throw new IllegalStateException("app failed on " + message.msgId());
              }
              delivered.add(message);
            }

            @Override
            public void onFanoutLost(String appId, String regId) {
              log.add("fanout lost " + appId + "/" + regId);
            }

            @Override
            public void onGroupMessagesLost(String appId, String regId, String groupId) {
              log.add("group lost " + appId + "/" + regId + " " + groupId);
            }
          },
          new ClientSession.Transport() {
            @Override
            public void send(Frame frame) {
              sent.add(frame);
              if (frame.signal() == Signal.PUB_ACK) {
                try {
                  Ack ack = Ack.parseFrom(frame.body());
                  log.add("ack " + ack.getRegId() + " " + ack.getMsgIdsList());
                } catch (InvalidProtocolBufferException e) {
                  throw new AssertionError(e);
                }
              }
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

  /** Starts from {@code stored} (null: none) and is accepted with {@code result} for the binding (null: none). */
  private Connect connectWith(FanoutPosition stored, BindingResult result) throws Exception {
    if (stored != null) {
      positions.savePosition("app", "reg", stored);
    }
    session.start();
    Connect connect = Connect.parseFrom(sent.get(0).body());
    ConnectAck.Builder ack = ConnectAck.newBuilder().setResult(1).setNodeId("n");
    if (result != null) {
      ack.addBindings(result);
    }
    session.onFrame(Frame.v3(Signal.CONNECT_ACK, 1, 1, ack.build()), 0);
    sent.clear();
    return connect;
  }

  private static BindingResult accepted(boolean recovered, FanoutPosition position) {
    return BindingResult.newBuilder()
        .setAppId("app")
        .setRegId("reg")
        .setResult(1)
        .setRecovered(recovered)
        .setFanoutPosition(StreamPosition.newBuilder().setOffset(position.offset()).setEpoch(position.epoch()))
        .build();
  }

  private void push(String msgId, long prevOffset, long offset) {
    Push push =
        Push.newBuilder()
            .setMsgId(msgId)
            .setAppId("app")
            .setRegId("reg")
            .setFanoutPrevOffset(prevOffset)
            .setFanoutOffset(offset)
            .build();
    session.onFrame(Frame.v3(Signal.PUSH, 0, 0, push), 0);
  }

  private void push(String msgId) {
    session.onFrame(Frame.v3(Signal.PUSH, 0, 0, Push.newBuilder().setMsgId(msgId).build()), 0);
  }

  @Test
  void theIdIsMarkedAfterTheListenerReturnedAndBeforeTheAckAndADuplicateIsOnlyAcked() {
    connect(0);

    push("m");
    push("m");

    assertThat(log)
        .containsExactly("seen? m", "onMessage m", "mark m", "ack reg [m]", "seen? m", "ack reg [m]");
  }

  @Test
  void aListenerThatThrowsLeavesNoMarkAndNoAckAndTheRedeliveryReachesItAgain() {
    connect(0);
    failing.add("m");

    push("m");
    assertThat(log).containsExactly("seen? m", "onMessage m");
    assertThat(sent).isEmpty();

    failing.clear();
    log.clear();
    push("m");
    assertThat(log).containsExactly("seen? m", "onMessage m", "mark m", "ack reg [m]");
    assertThat(delivered).extracting(PushMessage::msgId).containsExactly("m");
  }

  @Test
  void connectCarriesTheStoredPosition() throws Exception {
    Connect connect = connectWith(new FanoutPosition(42, "e7"), null);
    assertThat(connect.getBindings(0).getFanoutPosition().getOffset()).isEqualTo(42);
    assertThat(connect.getBindings(0).getFanoutPosition().getEpoch()).isEqualTo("e7");
  }

  @Test
  void connectCarriesNoPositionWhenThereIsNone() throws Exception {
    assertThat(connectWith(null, null).getBindings(0).hasFanoutPosition()).isFalse();
  }

  @Test
  void contiguousPushesAdvanceThePositionEachSavedBeforeItsAck() throws Exception {
    connectWith(new FanoutPosition(10, "e1"), accepted(true, new FanoutPosition(10, "e1")));
    log.clear();

    push("f-1", 10, 12);
    push("f-2", 12, 13);

    assertThat(log)
        .containsExactly(
            "seen? f-1", "onMessage f-1", "mark f-1", "save 12@e1", "ack reg [f-1]",
            "seen? f-2", "onMessage f-2", "mark f-2", "save 13@e1", "ack reg [f-2]");
    assertThat(positions.position("app", "reg")).isEqualTo(new FanoutPosition(13, "e1"));
  }

  @Test
  void pushesBeyondAGapAreHeldAndChainOnWhenItFills() throws Exception {
    connectWith(new FanoutPosition(10, "e1"), accepted(true, new FanoutPosition(10, "e1")));

    push("f-3", 15, 20);
    push("f-2", 12, 15);
    push("f-old", 5, 8);
    assertThat(positions.position("app", "reg")).isEqualTo(new FanoutPosition(10, "e1"));
    push("f-1", 10, 12);

    assertThat(positions.position("app", "reg")).isEqualTo(new FanoutPosition(20, "e1"));
    assertThat(log).filteredOn(line -> line.startsWith("save")).containsExactly("save 20@e1");
    // Held or not, each was handled by the app and is acknowledged.
    assertThat(log)
        .filteredOn(line -> line.startsWith("ack"))
        .containsExactly("ack reg [f-3]", "ack reg [f-2]", "ack reg [f-old]", "ack reg [f-1]");
  }

  @Test
  void aThrowingListenerNeverAdvancesThePositionAndItsRedeliveryChainsThoseHeldBehindIt() throws Exception {
    connectWith(new FanoutPosition(10, "e1"), accepted(true, new FanoutPosition(10, "e1")));
    failing.add("f-1");

    push("f-1", 10, 11);
    push("f-2", 11, 12);
    assertThat(positions.position("app", "reg")).isEqualTo(new FanoutPosition(10, "e1"));
    assertThat(log).filteredOn(line -> line.startsWith("ack")).containsExactly("ack reg [f-2]");

    failing.clear();
    push("f-1", 10, 11);

    assertThat(positions.position("app", "reg")).isEqualTo(new FanoutPosition(12, "e1"));
    assertThat(delivered).extracting(PushMessage::msgId).containsExactly("f-2", "f-1");
  }

  @Test
  void aDuplicateFanoutPushAdvancesThePositionLikeAHandledOne() throws Exception {
    connectWith(new FanoutPosition(3, "e1"), accepted(true, new FanoutPosition(3, "e1")));
    dedup.markSeen("app", "reg", "f-seen");
    log.clear();

    push("f-seen", 3, 4);

    assertThat(log).containsExactly("seen? f-seen", "save 4@e1", "ack reg [f-seen]");
  }

  @Test
  void whenTheServerCannotRecoverTheClientTakesItsPositionAndTellsTheAppOnce() throws Exception {
    connectWith(new FanoutPosition(5, "e1"), accepted(false, new FanoutPosition(100, "e2")));

    assertThat(log).containsExactly("save 100@e2", "fanout lost app/reg");
    push("f-101", 100, 101);
    assertThat(positions.position("app", "reg")).isEqualTo(new FanoutPosition(101, "e2"));
    assertThat(log).filteredOn(line -> line.startsWith("fanout lost")).hasSize(1);
  }

  @Test
  void whenTheServerRecoversTheClientKeepsItsPositionAndTellsTheAppNothing() throws Exception {
    connectWith(new FanoutPosition(5, "e1"), accepted(true, new FanoutPosition(5, "e1")));

    assertThat(log).isEmpty();
    push("f-6", 5, 6);
    assertThat(positions.position("app", "reg")).isEqualTo(new FanoutPosition(6, "e1"));
  }

  @Test
  void aDeviceWithoutAPositionTakesTheServersSilently() throws Exception {
    connectWith(null, accepted(false, new FanoutPosition(7, "e1")));

    assertThat(log).containsExactly("save 7@e1");
    push("f-9", 7, 9);
    assertThat(positions.position("app", "reg")).isEqualTo(new FanoutPosition(9, "e1"));
  }

  @Test
  void aBindingResultWithoutAPositionKeepsTheClientsOwn() throws Exception {
    // A server that tracks no positions: recovered is false only because it is absent.
    connectWith(
        new FanoutPosition(5, "e1"), BindingResult.newBuilder().setAppId("app").setRegId("reg").setResult(1).build());

    assertThat(log).isEmpty();
    push("f-6", 5, 6);
    assertThat(positions.position("app", "reg")).isEqualTo(new FanoutPosition(6, "e1"));
  }

  @Test
  void withoutAnyPositionFanoutPushesAreDeliveredButCountNothing() throws Exception {
    connectWith(null, null);

    push("f-1", 0, 1);

    assertThat(delivered).hasSize(1);
    assertThat(positions.position("app", "reg")).isNull();
    assertThat(log).doesNotContain("save 1@");
  }

  @Test
  void heldPushesAreBoundedTheFarthestForgottenFirst() {
    FanoutProgress progress = new FanoutProgress(new FanoutPosition(0, "e"), 2);
    assertThat(progress.processed(2, 3)).isFalse();
    assertThat(progress.processed(3, 4)).isFalse();
    assertThat(progress.processed(4, 5)).isFalse();
    assertThat(progress.heldCount()).isEqualTo(2);

    assertThat(progress.processed(0, 2)).isTrue();

    // 5 was forgotten: it comes again after a reconnect, from the position saved.
    assertThat(progress.position()).isEqualTo(new FanoutPosition(4, "e"));
    assertThat(progress.heldCount()).isZero();
  }

  @Test
  void aMalformedLinkIsNotHeldAndAnOlderEntryDoesNotMoveThePosition() {
    FanoutProgress progress = new FanoutProgress(new FanoutPosition(10, "e"), 8);
    assertThat(progress.processed(20, 15)).isFalse();
    assertThat(progress.processed(9, 10)).isFalse();
    assertThat(progress.processed(3, 7)).isFalse();
    assertThat(progress.heldCount()).isZero();
    assertThat(progress.position()).isEqualTo(new FanoutPosition(10, "e"));
  }

  // ------------------------------------------------------------------ groups

  private static GroupStart groupStart(String groupId, boolean recovered, FanoutPosition position) {
    return GroupStart.newBuilder()
        .setGroupId(groupId)
        .setRecovered(recovered)
        .setPosition(StreamPosition.newBuilder().setOffset(position.offset()).setEpoch(position.epoch()))
        .build();
  }

  private static BindingResult withGroups(BindingResult result, GroupStart... groups) {
    BindingResult.Builder builder = result.toBuilder();
    for (GroupStart group : groups) {
      builder.addGroups(group);
    }
    return builder.build();
  }

  private void groupPush(String msgId, String groupId, long prevSeq, long seq) {
    Push push =
        Push.newBuilder()
            .setMsgId(msgId)
            .setAppId("app")
            .setRegId("reg")
            .setGroupId(groupId)
            .setFrom("reg-sender")
            .setFanoutPrevOffset(prevSeq)
            .setFanoutOffset(seq)
            .build();
    session.onFrame(Frame.v3(Signal.PUSH, 0, 0, push), 0);
  }

  @Test
  void connectCarriesTheStoredPositionOfEveryGroup() throws Exception {
    positions.savePosition("app", "reg", "g-1", new FanoutPosition(4, "g1e"));
    positions.savePosition("app", "reg", "g-2", new FanoutPosition(9, "g2e"));

    Connect connect = connectWith(new FanoutPosition(42, "e7"), null);

    assertThat(connect.getBindings(0).getGroupPositionsList())
        .extracting(g -> g.getGroupId() + " " + g.getPosition().getOffset() + "@" + g.getPosition().getEpoch())
        .containsExactlyInAnyOrder("g-1 4@g1e", "g-2 9@g2e");
    assertThat(connect.getBindings(0).getFanoutPosition().getOffset()).isEqualTo(42);
  }

  @Test
  void aGroupMessageMovesOnlyItsGroupsPositionAndAnAppPushOnlyTheApps() throws Exception {
    positions.savePosition("app", "reg", "g-1", new FanoutPosition(4, "g1e"));
    connectWith(
        new FanoutPosition(10, "e1"),
        withGroups(accepted(true, new FanoutPosition(10, "e1")), groupStart("g-1", true, new FanoutPosition(4, "g1e"))));
    log.clear();

    groupPush("g-5", "g-1", 4, 5);
    push("f-11", 10, 11);

    assertThat(log)
        .containsExactly(
            "seen? g-5", "onMessage g-5", "mark g-5", "save g-1 5@g1e", "ack reg [g-5]",
            "seen? f-11", "onMessage f-11", "mark f-11", "save 11@e1", "ack reg [f-11]");
    assertThat(positions.position("app", "reg")).isEqualTo(new FanoutPosition(11, "e1"));
    assertThat(positions.position("app", "reg", "g-1")).isEqualTo(new FanoutPosition(5, "g1e"));
    PushMessage message = delivered.get(0);
    assertThat(message.groupId()).isEqualTo("g-1");
    assertThat(message.seq()).isEqualTo(5);
    assertThat(message.from()).isEqualTo("reg-sender");
    assertThat(message.fanoutOffset()).isZero();
    assertThat(delivered.get(1).groupId()).isNull();
    assertThat(delivered.get(1).seq()).isZero();
    assertThat(delivered.get(1).fanoutOffset()).isEqualTo(11);
  }

  @Test
  void gapsAreHeldAndChainedPerChannel() throws Exception {
    positions.savePosition("app", "reg", "g-1", new FanoutPosition(0, "g1e"));
    positions.savePosition("app", "reg", "g-2", new FanoutPosition(0, "g2e"));
    connectWith(
        new FanoutPosition(10, "e1"),
        withGroups(
            accepted(true, new FanoutPosition(10, "e1")),
            groupStart("g-1", true, new FanoutPosition(0, "g1e")),
            groupStart("g-2", true, new FanoutPosition(0, "g2e"))));
    log.clear();

    // Each channel's offsets are its own: 2 of g-1 waits for 1 of g-1, not for the app's or g-2's.
    groupPush("g1-2", "g-1", 1, 2);
    groupPush("g2-1", "g-2", 0, 1);
    push("f-12", 11, 12);
    assertThat(log).filteredOn(line -> line.startsWith("save")).containsExactly("save g-2 1@g2e");

    groupPush("g1-1", "g-1", 0, 1);
    push("f-11", 10, 11);

    assertThat(log)
        .filteredOn(line -> line.startsWith("save"))
        .containsExactly("save g-2 1@g2e", "save g-1 2@g1e", "save 12@e1");
    assertThat(positions.position("app", "reg", "g-1")).isEqualTo(new FanoutPosition(2, "g1e"));
    assertThat(positions.position("app", "reg", "g-2")).isEqualTo(new FanoutPosition(1, "g2e"));
    assertThat(positions.position("app", "reg")).isEqualTo(new FanoutPosition(12, "e1"));
  }

  @Test
  void aGroupTheClientSentNoPositionForStartsWhereTheServerSaysSilently() throws Exception {
    connectWith(
        new FanoutPosition(10, "e1"),
        withGroups(accepted(true, new FanoutPosition(10, "e1")), groupStart("g-new", true, new FanoutPosition(30, "gE"))));

    assertThat(log).containsExactly("save g-new 30@gE");
    groupPush("g-31", "g-new", 30, 31);
    assertThat(positions.position("app", "reg", "g-new")).isEqualTo(new FanoutPosition(31, "gE"));
  }

  @Test
  void aGroupTheServerCannotRecoverTakesItsPositionAndTellsTheAppOnce() throws Exception {
    positions.savePosition("app", "reg", "g-1", new FanoutPosition(4, "old"));
    connectWith(
        new FanoutPosition(10, "e1"),
        withGroups(accepted(true, new FanoutPosition(10, "e1")), groupStart("g-1", false, new FanoutPosition(50, "new"))));

    assertThat(log).containsExactly("save g-1 50@new", "group lost app/reg g-1");
    groupPush("g-51", "g-1", 50, 51);
    assertThat(positions.position("app", "reg", "g-1")).isEqualTo(new FanoutPosition(51, "new"));
    assertThat(log).filteredOn(line -> line.startsWith("group lost")).hasSize(1);
    assertThat(log).doesNotContain("fanout lost app/reg");
  }

  @Test
  void aGroupNoLongerListedIsForgotten() throws Exception {
    positions.savePosition("app", "reg", "g-kept", new FanoutPosition(1, "k"));
    positions.savePosition("app", "reg", "g-left", new FanoutPosition(2, "l"));
    connectWith(
        new FanoutPosition(10, "e1"),
        withGroups(accepted(true, new FanoutPosition(10, "e1")), groupStart("g-kept", true, new FanoutPosition(1, "k"))));

    assertThat(log).containsExactly("forget g-left");
    assertThat(positions.groupPositions("app", "reg")).containsOnlyKeys("g-kept");
    // A message of the forgotten group (the server should send none) is delivered but counts nothing.
    groupPush("late", "g-left", 2, 3);
    assertThat(delivered).extracting(PushMessage::msgId).containsExactly("late");
    assertThat(positions.position("app", "reg", "g-left")).isNull();
  }

  // ------------------------------------------------------------------ upstream

  private static PendingPublish upstream(PendingPublish.Kind kind, String target, String json, long ttl) {
    return new PendingPublish(
        kind, "app", "reg", target, json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8), ttl);
  }

  private void answer(Frame publish, PublishAck ack) {
    session.onFrame(Frame.v3(Signal.PUB_ACK, ack.getResult(), publish.messageId(), ack), 0);
  }

  private static PublishException failureOf(PendingPublish message) throws Exception {
    assertThat(message.isDone()).isTrue();
    Throwable thrown = catchThrowable(() -> message.get(0, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PublishException.class);
    return (PublishException) thrown.getCause();
  }

  @Test
  void sendToGroupWritesPublishSubSignal1AndCompletesWithTheAnswersSeqAndMsgId() throws Exception {
    connect(0);
    PendingPublish message = upstream(PendingPublish.Kind.GROUP, "g-1", "{\"t\":\"hi\"}", 60);

    session.publish(message);

    assertThat(sent).hasSize(1);
    Frame frame = sent.get(0);
    assertThat(frame.signal()).isEqualTo(Signal.PUBLISH);
    assertThat(frame.subSignal()).isEqualTo(1);
    Publish body = Publish.parseFrom(frame.body());
    assertThat(body.getRegId()).isEqualTo("reg");
    assertThat(body.getGroupId()).isEqualTo("g-1");
    assertThat(body.getTo()).isEmpty();
    assertThat(body.getPayload().toStringUtf8()).isEqualTo("{\"t\":\"hi\"}");
    assertThat(body.getTtlSeconds()).isEqualTo(60);
    assertThat(message.isDone()).isFalse();

    answer(frame, PublishAck.newBuilder().setResult(0).setMsgId("m-9").setSeq(17).setServerTimeMs(1234).build());

    PublishResult result = message.get(0, TimeUnit.SECONDS);
    assertThat(result.isOk()).isTrue();
    assertThat(result.seq()).isEqualTo(17);
    assertThat(result.msgId()).isEqualTo("m-9");
    assertThat(result.serverTimeMs()).isEqualTo(1234);
    assertThat(session.publishing()).isZero();
  }

  @Test
  void answersAreMatchedByMessageIdAndARefusalCompletesWithItsCode() throws Exception {
    connect(0);
    PendingPublish first = upstream(PendingPublish.Kind.GROUP, "g-1", "{}", 0);
    PendingPublish second = upstream(PendingPublish.Kind.GROUP, "g-2", "{}", 0);
    session.publish(first);
    session.publish(second);
    assertThat(sent.get(0).messageId()).isNotEqualTo(sent.get(1).messageId());

    answer(sent.get(1), PublishAck.newBuilder().setResult(1).setReason("not a member of g-2").build());

    assertThat(first.isDone()).isFalse();
    PublishResult refused = second.get(0, TimeUnit.SECONDS);
    assertThat(refused.code()).isEqualTo(PublishResult.NOT_A_MEMBER);
    assertThat(refused.codeName()).isEqualTo("NOT_A_MEMBER");
    assertThat(refused.reason()).isEqualTo("not a member of g-2");
    assertThat(refused.isOk()).isFalse();
  }

  @Test
  void aConnectionLostBeforeTheAnswerFailsThePendingMessages() throws Exception {
    connect(0);
    PendingPublish message = upstream(PendingPublish.Kind.SINGLE, "alice", "{}", 0);
    session.publish(message);

    session.connectionLost("read failed: reset");

    PublishException failure = failureOf(message);
    assertThat(failure).hasMessageContaining("connection ended before the answer: read failed: reset");
    assertThat(failure.isAnswerLost()).isTrue();
  }

  @Test
  void aServerDisconnectFailsThePendingMessagesWithItsReason() throws Exception {
    connect(0);
    PendingPublish message = upstream(PendingPublish.Kind.GROUP, "g-1", "{}", 0);
    session.publish(message);

    session.onFrame(Frame.v3(Signal.DISCONNECT, 5, 0, Disconnect.newBuilder().setReasonCode(5).build()), 0);

    assertThat(failureOf(message)).hasMessageContaining("SERVER_SHUTDOWN");
  }

  @Test
  void aMessageBeforeTheConnectAckOrAfterTheEndFailsAtOnceAndSendsNothing() throws Exception {
    session.start();
    sent.clear();
    PendingPublish early = upstream(PendingPublish.Kind.GROUP, "g-1", "{}", 0);
    session.publish(early);
    assertThat(failureOf(early)).hasMessage("not connected");
    assertThat(failureOf(early).isAnswerLost()).isFalse();

    session.onFrame(Frame.v3(Signal.CONNECT_ACK, 1, 1, ConnectAck.newBuilder().setResult(1).build()), 0);
    session.disconnect();
    sent.clear();
    PendingPublish late = upstream(PendingPublish.Kind.GROUP, "g-1", "{}", 0);
    session.publish(late);
    assertThat(failureOf(late)).hasMessage("not connected");
    assertThat(sent).isEmpty();
  }

  @Test
  void aBindingTheServerRefusedCannotSend() throws Exception {
    session.start();
    ConnectAck ack =
        ConnectAck.newBuilder()
            .setResult(1)
            .addBindings(BindingResult.newBuilder().setAppId("app").setRegId("reg").setResult(5))
            .build();
    session.onFrame(Frame.v3(Signal.CONNECT_ACK, 1, 1, ack), 0);
    sent.clear();
    PendingPublish message = upstream(PendingPublish.Kind.GROUP, "g-1", "{}", 0);

    session.publish(message);

    assertThat(failureOf(message)).hasMessageContaining("not accepted");
    assertThat(sent).isEmpty();
  }

  @Test
  void sendToJoinAndLeaveWriteSubSignals2And3And4() throws Exception {
    connect(0);

    session.publish(upstream(PendingPublish.Kind.SINGLE, "alias-bob", "{\"x\":1}", 30));
    session.publish(upstream(PendingPublish.Kind.JOIN, "g-1", null, 0));
    session.publish(upstream(PendingPublish.Kind.LEAVE, "g-2", null, 0));

    assertThat(sent).extracting(Frame::signal).containsOnly(Signal.PUBLISH);
    assertThat(sent).extracting(Frame::subSignal).containsExactly(2, 3, 4);
    Publish single = Publish.parseFrom(sent.get(0).body());
    assertThat(single.getTo()).isEqualTo("alias-bob");
    assertThat(single.getGroupId()).isEmpty();
    assertThat(single.getPayload().toStringUtf8()).isEqualTo("{\"x\":1}");
    assertThat(single.getTtlSeconds()).isEqualTo(30);
    assertThat(Publish.parseFrom(sent.get(1).body()).getGroupId()).isEqualTo("g-1");
    assertThat(Publish.parseFrom(sent.get(2).body()).getGroupId()).isEqualTo("g-2");
  }

  @Test
  void anAcceptedLeaveForgetsTheGroupsPosition() throws Exception {
    positions.savePosition("app", "reg", "g-1", new FanoutPosition(4, "g1e"));
    connectWith(
        new FanoutPosition(10, "e1"),
        withGroups(accepted(true, new FanoutPosition(10, "e1")), groupStart("g-1", true, new FanoutPosition(4, "g1e"))));
    PendingPublish leave = upstream(PendingPublish.Kind.LEAVE, "g-1", null, 0);
    session.publish(leave);
    log.clear();

    answer(sent.get(0), PublishAck.newBuilder().setResult(0).setMsgId("g-1").build());

    assertThat(log).containsExactly("forget g-1");
    assertThat(positions.groupPositions("app", "reg")).isEmpty();
    assertThat(leave.get(0, TimeUnit.SECONDS).isOk()).isTrue();
  }

  @Test
  void anAnswerNobodyWaitsForIsIgnored() {
    connect(0);
    session.onFrame(Frame.v3(Signal.PUB_ACK, 0, 999, PublishAck.newBuilder().setResult(0).build()), 0);
    assertThat(verdicts).isEmpty();
    assertThat(sent).isEmpty();
  }

  @Test
  void argumentsAreCheckedOnTheCallersThread() {
    assertThat(catchThrowable(() -> upstream(PendingPublish.Kind.GROUP, "", "{}", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("group id is empty");
    assertThat(catchThrowable(() -> upstream(PendingPublish.Kind.SINGLE, "x", "{}", -1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
