package io.universepush.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.connector.auth.AuthenticatedBinding;
import io.universepush.connector.session.SessionAction.Authenticate;
import io.universepush.connector.session.SessionAction.Bind;
import io.universepush.connector.session.SessionAction.Close;
import io.universepush.connector.session.SessionAction.CountAttempts;
import io.universepush.connector.session.SessionAction.Expired;
import io.universepush.connector.session.SessionAction.Failed;
import io.universepush.connector.session.SessionAction.ReadFanout;
import io.universepush.connector.session.SessionAction.ReadPending;
import io.universepush.connector.session.SessionAction.RenewRoutes;
import io.universepush.connector.session.SessionAction.SavePosition;
import io.universepush.connector.session.SessionAction.SendFrame;
import io.universepush.connector.session.SessionAction.SendPush;
import io.universepush.connector.session.SessionAction.Settle;
import io.universepush.connector.session.SessionAction.SubscribeLegacy;
import io.universepush.connector.session.SessionAction.Unbind;
import io.universepush.connector.wire.Disconnects;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.legacy.LegacyBodies;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.subscribe.LegacySubscription;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutPage;
import io.universepush.store.fanout.FanoutPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The session core, without sockets, threads or stores: commands in, actions out, time from a manual clock. */
class DeviceSessionTest {
  private static final String APP = "app-1";
  private static final String EPOCH = "e1";
  private static final long T0 = 1_700_000_000_000L;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock(T0);

  private static SessionSettings settings(int maxInFlight, int maxQueued) {
    return new SessionSettings(
        new HeartbeatPolicy(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofMinutes(10)),
        new RedeliveryPolicy(TIMEOUT, Duration.ofMinutes(10), 5),
        maxInFlight,
        maxQueued,
        16,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofMinutes(5));
  }

  private DeviceSession session = new DeviceSession(settings(256, 1024), clock, "node-1");

  // ------------------------------------------------------------------ fixtures

  /** Connects and binds the devices; each starts at offset {@code start} of the app's log. */
  private List<SessionAction> connect(long start, String... regIds) {
    List<Binding> bindings = new ArrayList<>();
    for (String regId : regIds) {
      bindings.add(Binding.newBuilder().setAppId(APP).setRegId(regId).setToken("t").build());
    }
    List<SessionAction> out = new ArrayList<>(session.connect(1, bindings, 60_000, "android"));
    assertThat(out).singleElement().isInstanceOf(Authenticate.class);
    List<AuthenticatedBinding> checked = new ArrayList<>();
    for (String regId : regIds) {
      checked.add(
          new AuthenticatedBinding(
              accepted(regId), "android", new FanoutPosition(start, EPOCH)));
    }
    out.addAll(session.authenticated(checked));
    for (String regId : regIds) {
      out.addAll(session.bound(regId));
    }
    return out;
  }

  /** Connects one device whose pending set and fan-out log are empty, and drops the store reads that asks for. */
  private void connectIdle(String... regIds) {
    List<SessionAction> out = connect(0, regIds);
    for (String regId : regIds) {
      assertThat(of(out, ReadPending.class)).anyMatch(read -> read.regId().equals(regId));
      session.pendingRead(regId, List.of(), false);
      session.fanoutRead(regId, new FanoutPage(EPOCH, 0, true, 0, 0, List.of()), Map.of());
    }
  }

  private static BindingResult accepted(String regId) {
    return BindingResult.newBuilder().setAppId(APP).setRegId(regId).setResult(ConnectResult.ACCEPTED.code()).build();
  }

  private Delivery delivery(String msgId, String regId, Duration ttl) {
    Delivery delivery = new Delivery();
    delivery.setMsgId(msgId);
    delivery.setAppId(APP);
    delivery.setRegId(regId);
    delivery.setPayload(("{\"n\":\"" + msgId + "\"}").getBytes());
    delivery.setExpiresAtMs(ttl == null ? 0 : clock.millis() + ttl.toMillis());
    return delivery;
  }

  private Delivery fanoutContent(String msgId) {
    Delivery content = delivery(msgId, null, Duration.ofHours(1));
    content.setFanout(true);
    return content;
  }

  private static FanoutEntry logged(long offset, String msgId) {
    return new FanoutEntry(offset, EPOCH, APP, msgId, Set.of(), Set.of(), 0, T0);
  }

  private static <T> List<T> of(List<SessionAction> actions, Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static List<String> pushed(List<SessionAction> actions) {
    return of(actions, SendPush.class).stream().map(push -> push.content().getMsgId()).toList();
  }

  private static Close closeOf(List<SessionAction> actions) {
    List<Close> closes = of(actions, Close.class);
    assertThat(closes).hasSize(1);
    return closes.get(0);
  }

  // ------------------------------------------------------------------ handshake

  @Nested
  class Handshake {
    @Test
    void acceptedConnectAnswersConnectAckBeforeAnythingElseThenBindsEachDevice() {
      List<SessionAction> out = connect(0, "r1", "r2");
      SendFrame ack = of(out, SendFrame.class).get(0);
      assertThat(ack.frame().signal()).isEqualTo(Signal.CONNECT_ACK);
      assertThat(ack.frame().subSignal()).isEqualTo(ConnectResult.ACCEPTED.code());
      assertThat(of(out, Bind.class)).extracting(Bind::regId).containsExactly("r1", "r2");
      // Bound devices then read what waited for them: their pending set, then their fan-out log.
      assertThat(of(out, ReadPending.class)).extracting(ReadPending::regId).containsExactly("r1", "r2");
      assertThat(of(out, ReadFanout.class)).isEmpty();
      assertThat(of(session.pendingRead("r1", List.of(), false), ReadFanout.class))
          .extracting(ReadFanout::regId)
          .containsExactly("r1");
    }

    @Test
    void refusedConnectAnswersWithTheResultAndClosesWithoutDisconnect() throws Exception {
      session.connect(7, List.of(Binding.newBuilder().setAppId(APP).setRegId("r1").build()), 0, "");
      BindingResult bad =
          BindingResult.newBuilder().setAppId(APP).setRegId("r1").setResult(ConnectResult.BAD_CREDENTIALS.code()).build();
      List<SessionAction> out = session.authenticated(List.of(new AuthenticatedBinding(bad, null, null)));
      Frame ack = of(out, SendFrame.class).get(0).frame();
      assertThat(ack.subSignal()).isEqualTo(ConnectResult.BAD_CREDENTIALS.code());
      assertThat(ack.messageId()).isEqualTo(7);
      assertThat(ConnectAck.parseFrom(ack.body()).getBindings(0).getResult())
          .isEqualTo(ConnectResult.BAD_CREDENTIALS.code());
      assertThat(closeOf(out).reason()).isNull();
      assertThat(session.isClosed()).isTrue();
    }

    @Test
    void tooManyBindingsAreRefusedWithoutAskingAnyone() {
      List<Binding> bindings =
          IntStream.range(0, 17).mapToObj(i -> Binding.newBuilder().setRegId("r" + i).build()).toList();
      List<SessionAction> out = session.connect(1, bindings, 0, "");
      assertThat(of(out, Authenticate.class)).isEmpty();
      assertThat(of(out, SendFrame.class).get(0).frame().subSignal())
          .isEqualTo(ConnectResult.IDENTIFIER_REJECTED.code());
    }

    @Test
    void aConnectionThatSendsNoConnectIsClosedAtTheAuthTimeout() {
      assertThat(session.nextTimerAt()).isEqualTo(T0 + 10_000);
      clock.advance(Duration.ofMillis(9_999));
      assertThat(of(session.timer(), Close.class)).isEmpty();
      clock.advance(Duration.ofMillis(1));
      List<SessionAction> out = session.timer();
      assertThat(closeOf(out).reason()).isNull();
      assertThat(of(out, SessionAction.AuthTimedOut.class)).hasSize(1);
    }

    @Test
    void aSlowAuthenticationDoesNotCloseTheClientAtTheAuthTimeout() {
      session.connect(1, List.of(Binding.newBuilder().setAppId(APP).setRegId("r1").build()), 60_000, "");
      clock.advance(Duration.ofSeconds(30));
      assertThat(of(session.timer(), Close.class)).isEmpty();
      // It is not left hanging forever: as long as a heartbeat answer may take.
      clock.advance(Duration.ofSeconds(70));
      assertThat(closeOf(session.timer()).reason()).isNull();
    }

    @Test
    void aPingBeforeConnectIsAProtocolError() {
      assertThat(closeOf(session.ping(1, 0)).reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
    }

    @Test
    void aSecondConnectIsAProtocolError() {
      connectIdle("r1");
      List<SessionAction> out = session.connect(2, List.of(Binding.newBuilder().setRegId("r1").build()), 0, "");
      assertThat(closeOf(out).reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
    }
  }

  // ------------------------------------------------------------------ window and queue

  @Nested
  class Window {
    @Test
    void aWindowOfFourWritesFiftyDeliveriesInOrderAsAcksArrive() {
      session = new DeviceSession(settings(4, 1024), clock, "node-1");
      connectIdle("r1");
      List<Delivery> fifty = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        fifty.add(delivery(String.format("m%02d", i), "r1", Duration.ofHours(1)));
      }
      List<String> written = new ArrayList<>(pushed(session.offer(fifty)));
      assertThat(written).containsExactly("m00", "m01", "m02", "m03");
      assertThat(session.queuedCount()).isEqualTo(46);
      while (written.size() < 50) {
        String oldest = written.get(written.size() - session.inFlightCount());
        List<SessionAction> out = session.ack("r1", List.of(oldest));
        assertThat(of(out, Settle.class)).singleElement().satisfies(s -> assertThat(s.receipts()).hasSize(1));
        written.addAll(pushed(out));
        assertThat(session.inFlightCount()).isLessThanOrEqualTo(4);
      }
      assertThat(written).containsExactlyElementsOf(fifty.stream().map(Delivery::getMsgId).toList());
    }

    @Test
    void aUnicastPushTheQueueCannotHoldStaysPendingAndIsReadAgainOnceTheQueueEmpties() {
      session = new DeviceSession(settings(1, 2), clock, "node-1");
      connectIdle("r1");
      List<SessionAction> out =
          session.offer(
              List.of(
                  delivery("a", "r1", Duration.ofHours(1)),
                  delivery("b", "r1", Duration.ofHours(1)),
                  delivery("c", "r1", Duration.ofHours(1)),
                  delivery("d", "r1", Duration.ofHours(1))));
      // a and b fit the queue; c and d stay in their pending set. Nothing is read while the queue holds work.
      assertThat(pushed(out)).containsExactly("a");
      assertThat(of(out, ReadPending.class)).isEmpty();
      assertThat(pushed(session.ack("r1", List.of("a")))).containsExactly("b");
      out = session.ack("r1", List.of("b"));
      ReadPending read = of(out, ReadPending.class).get(0);
      assertThat(read.limit()).isEqualTo(1);
      // b was acked but its pending entry may not be gone yet: the read must not bring it back.
      assertThat(read.skip()).contains("b");
      out = session.pendingRead("r1", List.of(delivery("c", "r1", Duration.ofHours(1))), true);
      assertThat(pushed(out)).containsExactly("c");
      out = session.ack("r1", List.of("c"));
      assertThat(of(out, ReadPending.class)).hasSize(1);
      assertThat(pushed(session.pendingRead("r1", List.of(delivery("d", "r1", Duration.ofHours(1))), false)))
          .containsExactly("d");
    }

    @Test
    void nothingIsWrittenWhileTheSocketIsFullAndEverythingWhenItDrains() {
      connectIdle("r1");
      session.writable(false);
      assertThat(pushed(session.offer(List.of(delivery("a", "r1", null), delivery("b", "r1", null))))).isEmpty();
      assertThat(pushed(session.writable(true))).containsExactly("a", "b");
    }

    @Test
    void theSamePushOfferedTwiceIsWrittenOnce() {
      connectIdle("r1");
      Delivery a = delivery("a", "r1", Duration.ofHours(1));
      assertThat(pushed(session.offer(List.of(a)))).containsExactly("a");
      assertThat(pushed(session.offer(List.of(a)))).isEmpty();
      assertThat(pushed(session.pendingRead("r1", List.of(a), false))).isEmpty();
    }

    @Test
    void aPushPastItsExpiryIsNeverWritten() {
      connectIdle("r1");
      session.writable(false);
      session.offer(List.of(delivery("a", "r1", Duration.ofSeconds(5))));
      clock.advance(Duration.ofSeconds(6));
      List<SessionAction> out = session.writable(true);
      assertThat(pushed(out)).isEmpty();
      assertThat(of(out, Expired.class).get(0).deliveries()).extracting(Delivery::getMsgId).containsExactly("a");
    }

    @Test
    void anAckNamingABindingSettlesOnlyThatBinding() {
      connectIdle("r1", "r2");
      session.offer(List.of(delivery("m", "r1", Duration.ofHours(1)), delivery("m", "r2", Duration.ofHours(1))));
      List<SessionAction> out = session.ack("r1", List.of("m"));
      assertThat(of(out, Settle.class).get(0).receipts()).extracting(SessionAction.Receipt::regId).containsExactly("r1");
      assertThat(session.inFlightCount()).isEqualTo(1);
      // An older client's ack names no binding: it settles every binding holding the id.
      session.offer(List.of(delivery("n", "r1", null), delivery("n", "r2", null)));
      out = session.ack("", List.of("n"));
      assertThat(of(out, Settle.class).get(0).receipts()).hasSize(2);
    }

    @Test
    void anUnknownAckIsIgnored() {
      connectIdle("r1");
      List<SessionAction> out = session.ack("r1", List.of("nope"));
      assertThat(of(out, Settle.class)).isEmpty();
      assertThat(of(out, Close.class)).isEmpty();
    }
  }

  // ------------------------------------------------------------------ redelivery and expiry

  @Nested
  class Redelivery {
    @Test
    void anUnackedOnlineOnlyPushIsWrittenAgainWithDoublingDelaysThenGivenUp() {
      connectIdle("r1");
      session.ping(2, 600_000); // a long heartbeat, so the idle timeout stays out of the way
      session.offer(List.of(delivery("a", "r1", null)));
      List<Integer> attempts = new ArrayList<>();
      for (int attempt = 2; attempt <= 5; attempt++) {
        long due = session.nextTimerAt();
        assertThat(due).isEqualTo(clock.millis() + TIMEOUT.toMillis() * (1L << (attempt - 2)));
        clock.advanceTo(due);
        List<SendPush> again = of(session.timer(), SendPush.class);
        assertThat(again).hasSize(1);
        attempts.add(again.get(0).attempt());
        session.ping(9, 600_000); // the device is alive, it just does not ack
      }
      assertThat(attempts).containsExactly(2, 3, 4, 5);
      clock.advanceTo(session.nextTimerAt());
      List<SessionAction> out = session.timer();
      assertThat(of(out, Failed.class)).singleElement().satisfies(f -> assertThat(f.attempts()).isEqualTo(5));
      assertThat(session.inFlightCount()).isZero();
    }

    @Test
    void aPersistedPushCountsItsAttemptInTheStoreBeforeItIsWrittenAgain() {
      connectIdle("r1");
      session.offer(List.of(delivery("a", "r1", Duration.ofHours(1))));
      clock.advance(TIMEOUT);
      List<SessionAction> out = session.timer();
      assertThat(pushed(out)).isEmpty();
      CountAttempts count = of(out, CountAttempts.class).get(0);
      assertThat(count.entries()).extracting(InFlightDelivery::msgId).containsExactly("a");
      // Not due again while being counted.
      assertThat(of(session.timer(), CountAttempts.class)).isEmpty();
      List<SendPush> again = of(session.attemptsCounted(count.entries(), List.of(2)), SendPush.class);
      assertThat(again).singleElement().satisfies(p -> assertThat(p.attempt()).isEqualTo(2));
    }

    @Test
    void aPersistedPushSettledElsewhereIsNotWrittenAgain() {
      connectIdle("r1");
      session.offer(List.of(delivery("a", "r1", Duration.ofHours(1))));
      clock.advance(TIMEOUT);
      CountAttempts count = of(session.timer(), CountAttempts.class).get(0);
      assertThat(pushed(session.attemptsCounted(count.entries(), List.of(0)))).isEmpty();
      assertThat(session.inFlightCount()).isZero();
    }

    @Test
    void anUnackedPushIsDroppedAtItsExpiryInsteadOfWrittenAgain() {
      connectIdle("r1");
      session.offer(List.of(delivery("a", "r1", Duration.ofSeconds(20))));
      clock.advance(TIMEOUT);
      List<SessionAction> out = session.timer();
      assertThat(pushed(out)).isEmpty();
      assertThat(of(out, Expired.class)).hasSize(1);
      assertThat(session.inFlightCount()).isZero();
    }

    @Test
    void anAckArrivingWhileTheAttemptIsCountedWins() {
      connectIdle("r1");
      session.offer(List.of(delivery("a", "r1", Duration.ofHours(1))));
      clock.advance(TIMEOUT);
      CountAttempts count = of(session.timer(), CountAttempts.class).get(0);
      session.ack("r1", List.of("a"));
      assertThat(pushed(session.attemptsCounted(count.entries(), List.of(2)))).isEmpty();
    }
  }

  // ------------------------------------------------------------------ heartbeats and the end

  @Nested
  class Heartbeats {
    @Test
    void aSilentConnectionIsClosedAtItsIdleTimeoutAndAPingPostponesIt() {
      connectIdle("r1");
      long idle = T0 + 100_000; // 60 s interval x 1.5 + 10 s
      assertThat(session.nextTimerAt()).isEqualTo(idle);
      clock.advance(Duration.ofSeconds(50));
      List<SessionAction> out = session.ping(3, 0);
      assertThat(of(out, SendFrame.class).get(0).frame().subSignal()).isEqualTo(DeviceSession.PONG);
      assertThat(of(out, RenewRoutes.class).get(0).appIdByRegId()).containsEntry("r1", APP);
      clock.advanceTo(idle);
      assertThat(of(session.timer(), Close.class)).isEmpty();
      clock.advance(Duration.ofSeconds(50));
      assertThat(closeOf(session.timer()).reason()).isEqualTo(DisconnectReason.IDLE_TIMEOUT);
    }

    @Test
    void aPingWithAnIntervalChangesTheIdleTimeout() {
      connectIdle("r1");
      session.ping(3, 20_000);
      assertThat(session.heartbeatIntervalMs()).isEqualTo(20_000);
      assertThat(session.nextTimerAt()).isEqualTo(T0 + 40_000);
    }

    @Test
    void aHeartbeatAfterTheRecheckIntervalReadsThePendingSetAgain() {
      connectIdle("r1");
      assertThat(of(session.ping(1, 0), ReadPending.class)).isEmpty();
      clock.advance(Duration.ofMinutes(5));
      assertThat(of(session.ping(2, 0), ReadPending.class)).hasSize(1);
    }
  }

  @Nested
  class Leaving {
    @Test
    void aTakeoverOfTheLastBindingClosesWithItsReason() {
      connectIdle("r1", "r2");
      List<SessionAction> out = session.kick("r1", DisconnectReason.SESSION_TAKEN_OVER, "newer");
      assertThat(of(out, Unbind.class)).extracting(Unbind::regId).containsExactly("r1");
      assertThat(of(out, Close.class)).isEmpty();
      out = session.kick("r2", DisconnectReason.SESSION_TAKEN_OVER, "newer");
      assertThat(closeOf(out).reason()).isEqualTo(DisconnectReason.SESSION_TAKEN_OVER);
    }

    @Test
    void aTakenOverBindingGetsNothingMoreAndItsQueuedPushesStayPending() {
      session = new DeviceSession(settings(1, 10), clock, "node-1");
      connectIdle("r1", "r2");
      session.offer(List.of(delivery("a", "r1", Duration.ofHours(1)), delivery("b", "r1", Duration.ofHours(1))));
      session.kick("r1", DisconnectReason.SESSION_TAKEN_OVER, "newer");
      assertThat(session.inFlightCount()).isZero();
      assertThat(session.queuedCount()).isZero();
      assertThat(pushed(session.offer(List.of(delivery("c", "r1", null))))).isEmpty();
    }

    @Test
    void logoutUnbindsEveryDeviceAtOnceThenCloses() {
      connectIdle("r1", "r2");
      List<SessionAction> out = session.disconnect(true);
      assertThat(of(out, Unbind.class)).extracting(Unbind::regId).containsExactlyInAnyOrder("r1", "r2");
      assertThat(closeOf(out).reason()).isNull();
      assertThat(pushed(session.offer(List.of(delivery("a", "r1", null))))).isEmpty();
    }

    @Test
    void aShutdownDisconnectsWithTheRedirectAndLeavesUnackedPushesPending() throws Exception {
      connectIdle("r1");
      List<SessionAction> written = session.offer(List.of(delivery("a", "r1", Duration.ofHours(1))));
      assertThat(pushed(written)).containsExactly("a");
      clock.advance(Duration.ofSeconds(1));

      List<SessionAction> out =
          session.end(DisconnectReason.SERVER_SHUTDOWN, "server shutting down", List.of("h2:7001", "h3:7002"));

      Close close = closeOf(out);
      assertThat(close.reason()).isEqualTo(DisconnectReason.SERVER_SHUTDOWN);
      assertThat(close.redirect()).containsExactly("h2:7001", "h3:7002");
      assertThat(session.isClosed()).isTrue();
      // The frame the connection writes for it carries the redirect, in order.
      Frame frame = Disconnects.frame(ProtocolVersion.V3, close.reason(), close.text(), close.redirect());
      Disconnect disconnect = Disconnect.parseFrom(FrameEncoder.bodyOf(frame));
      assertThat(disconnect.getReasonCode()).isEqualTo(DisconnectReason.SERVER_SHUTDOWN.code());
      assertThat(disconnect.getRedirectList()).containsExactly("h2:7001", "h3:7002");
      // The unacked push is not settled: it stays pending for wherever the device reconnects.
      List<SessionAction> end = session.closed();
      assertThat(of(end, Unbind.class)).extracting(Unbind::regId).containsExactly("r1");
      assertThat(of(end, Settle.class)).isEmpty();
      // Nothing after the end: no second DISCONNECT, no writes, no redelivery.
      assertThat(session.end(DisconnectReason.SERVER_SHUTDOWN, "again", List.of("h4:1"))).isEmpty();
      clock.advance(TIMEOUT.multipliedBy(2));
      assertThat(session.timer()).isEmpty();
    }

    @Test
    void aShutdownBeforeTheFirstFrameClosesWithoutADisconnect() {
      List<SessionAction> out = session.end(DisconnectReason.SERVER_SHUTDOWN, "server shutting down", List.of("h2:1"));
      assertThat(closeOf(out).reason()).isNull();
    }

    @Test
    void aPlainDisconnectLeavesTheRoutesToTheConnectionsEnd() {
      connectIdle("r1");
      List<SessionAction> out = session.disconnect(false);
      assertThat(of(out, Unbind.class)).isEmpty();
      assertThat(of(session.closed(), Unbind.class)).extracting(Unbind::regId).containsExactly("r1");
    }
  }

  // ------------------------------------------------------------------ store failures

  @Nested
  class StoreFailures {
    @Test
    void aFailedRouteWriteIsRetriedAfterTheDelay() {
      session.connect(1, List.of(Binding.newBuilder().setAppId(APP).setRegId("r1").build()), 60_000, "");
      List<SessionAction> out =
          session.authenticated(
              List.of(new AuthenticatedBinding(accepted("r1"), "android", new FanoutPosition(0, EPOCH))));
      assertThat(of(out, Bind.class)).hasSize(1);
      assertThat(session.bindFailed("r1")).isEmpty();
      assertThat(session.nextTimerAt()).isEqualTo(T0 + 1_000);
      clock.advance(Duration.ofSeconds(1));
      assertThat(of(session.timer(), Bind.class)).extracting(Bind::regId).containsExactly("r1");
    }

    @Test
    void callsFailingLongerThanTheBoundCloseTheConnectionServerUnavailable() {
      connect(0, "r1");
      for (int i = 0; i < 9; i++) {
        session.pendingReadFailed("r1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(of(session.timer(), Close.class)).isEmpty();
      }
      session.pendingReadFailed("r1");
      clock.advance(Duration.ofSeconds(1));
      assertThat(closeOf(session.timer()).reason()).isEqualTo(DisconnectReason.SERVER_UNAVAILABLE);
    }

    @Test
    void oneAnswerClearsTheFailures() {
      connect(0, "r1");
      session.pendingReadFailed("r1");
      clock.advance(Duration.ofSeconds(1));
      List<SessionAction> out = session.timer();
      assertThat(of(out, ReadPending.class)).hasSize(1);
      session.pendingRead("r1", List.of(), false);
      clock.advance(Duration.ofSeconds(30));
      assertThat(of(session.timer(), Close.class)).isEmpty();
    }
  }

  // ------------------------------------------------------------------ fan-out positions

  @Nested
  class Fanout {
    @Test
    void liveEntriesAreTakenInOffsetOrderWithTheBindingsPreviousOffset() {
      connectIdle("r1");
      List<SendPush> out = new ArrayList<>();
      out.addAll(of(session.offerFanout(logged(1, "f1"), fanoutContent("f1"), Set.of("r1")), SendPush.class));
      // Not for this device (a tag it lacks): no push, but the position moves past it.
      assertThat(session.offerFanout(logged(2, "f2"), fanoutContent("f2"), Set.of())).isEmpty();
      out.addAll(of(session.offerFanout(logged(3, "f3"), fanoutContent("f3"), Set.of("r1")), SendPush.class));
      assertThat(out).extracting(SendPush::fanoutOffset).containsExactly(1L, 3L);
      assertThat(out).extracting(SendPush::fanoutPrevOffset).containsExactly(0L, 1L);
    }

    @Test
    void aMissedLiveEntryMakesTheBindingReadTheLogBeforeTakingLiveOnesAgain() {
      connectIdle("r1");
      session.offerFanout(logged(1, "f1"), fanoutContent("f1"), Set.of("r1"));
      session.ack("r1", List.of("f1"));
      // Entry 2 was dropped on the way: 3 cannot be taken at position 1.
      List<SessionAction> out = session.offerFanout(logged(3, "f3"), fanoutContent("f3"), Set.of("r1"));
      assertThat(pushed(out)).isEmpty();
      ReadFanout read = of(out, ReadFanout.class).get(0);
      assertThat(read.after()).isEqualTo(new FanoutPosition(1, EPOCH));
      // Entry 4 arrives live while the read is under way: left to the read.
      assertThat(pushed(session.offerFanout(logged(4, "f4"), fanoutContent("f4"), Set.of("r1")))).isEmpty();
      FanoutPage page = new FanoutPage(EPOCH, 3, true, 1, 3, List.of(logged(2, "f2"), logged(3, "f3")));
      out = session.fanoutRead("r1", page, Map.of(2L, fanoutContent("f2"), 3L, fanoutContent("f3")));
      assertThat(pushed(out)).containsExactly("f2", "f3");
      // 4 was announced: the binding reads on.
      read = of(out, ReadFanout.class).get(0);
      assertThat(read.after()).isEqualTo(new FanoutPosition(3, EPOCH));
      out = session.fanoutRead("r1", new FanoutPage(EPOCH, 4, true, 3, 4, List.of(logged(4, "f4"))), Map.of(4L, fanoutContent("f4")));
      assertThat(of(out, SendPush.class)).extracting(SendPush::fanoutOffset).containsExactly(4L);
      assertThat(of(out, ReadFanout.class)).isEmpty();
      // Caught up: live entries are taken directly again, and an old one is not taken twice.
      assertThat(pushed(session.offerFanout(logged(4, "f4"), fanoutContent("f4"), Set.of("r1")))).isEmpty();
      assertThat(pushed(session.offerFanout(logged(5, "f5"), fanoutContent("f5"), Set.of("r1")))).containsExactly("f5");
    }

    @Test
    void everyEntryReachesABindingWhoseQueueWasFullOnceAndInOrder() {
      session = new DeviceSession(settings(2, 2), clock, "node-1");
      connectIdle("r1");
      List<String> written = new ArrayList<>();
      Map<Long, Delivery> log = new HashMap<>();
      for (long offset = 1; offset <= 10; offset++) {
        Delivery content = fanoutContent("f" + offset);
        log.put(offset, content);
        List<SessionAction> out = session.offerFanout(logged(offset, "f" + offset), content, Set.of("r1"));
        written.addAll(pushed(out));
      }
      // Two in flight, two queued; the rest are left to the log.
      assertThat(written).containsExactly("f1", "f2");
      long position = 4;
      while (written.size() < 10) {
        String oldest = written.get(written.size() - session.inFlightCount());
        List<SessionAction> out = session.ack("r1", List.of(oldest));
        written.addAll(pushed(out));
        for (ReadFanout read : of(out, ReadFanout.class)) {
          long from = read.after().offset();
          long until = Math.min(10, from + read.limit());
          List<FanoutEntry> entries = new ArrayList<>();
          Map<Long, Delivery> contents = new HashMap<>();
          for (long o = from + 1; o <= until; o++) {
            entries.add(logged(o, "f" + o));
            contents.put(o, log.get(o));
          }
          written.addAll(
              pushed(session.fanoutRead("r1", new FanoutPage(EPOCH, 10, true, from, until, entries), contents)));
          position = until;
        }
      }
      assertThat(position).isEqualTo(10);
      assertThat(written).containsExactly("f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10");
    }

    @Test
    void aCatchUpAtConnectWritesTheLogAfterTheClientsPosition() {
      connect(5, "r1");
      ReadFanout read = of(session.pendingRead("r1", List.of(), false), ReadFanout.class).get(0);
      assertThat(read.after()).isEqualTo(new FanoutPosition(5, EPOCH));
      FanoutPage page = new FanoutPage(EPOCH, 7, true, 5, 7, List.of(logged(6, "f6"), logged(7, "f7")));
      // 6 is not for this device (filtered by the store side): only 7 is written, chained from the start.
      List<SendPush> pushes = of(session.fanoutRead("r1", page, Map.of(7L, fanoutContent("f7"))), SendPush.class);
      assertThat(pushes).extracting(SendPush::fanoutOffset).containsExactly(7L);
      assertThat(pushes).extracting(SendPush::fanoutPrevOffset).containsExactly(5L);
    }

    @Test
    void anEntryOfAnotherEpochClosesTheConnectionSoTheClientLearnsItWasNotRecovered() {
      connectIdle("r1");
      FanoutEntry other = new FanoutEntry(1, "e2", APP, "f1", Set.of(), Set.of(), 0, T0);
      assertThat(closeOf(session.offerFanout(other, fanoutContent("f1"), Set.of("r1"))).reason())
          .isEqualTo(DisconnectReason.SERVER_UNAVAILABLE);
    }

    @Test
    void onlineOnlyFanoutGoesToMatchingBindingsWithoutAPosition() {
      connectIdle("r1", "r2");
      FanoutEntry online = FanoutEntry.of(APP, "o1", Set.of(), Set.of(), 0);
      List<SendPush> pushes = of(session.offerFanout(online, fanoutContent("o1"), Set.of("r2")), SendPush.class);
      assertThat(pushes).extracting(SendPush::regId).containsExactly("r2");
      assertThat(pushes.get(0).fanoutOffset()).isZero();
    }

    @Test
    void aLeavingBindingKeepsThePositionUpToWhichTheDeviceAckedEverything() {
      connectIdle("r1");
      session.offerFanout(logged(1, "f1"), fanoutContent("f1"), Set.of("r1"));
      session.offerFanout(logged(2, "f2"), fanoutContent("f2"), Set.of()); // not for this device
      session.offerFanout(logged(3, "f3"), fanoutContent("f3"), Set.of("r1"));
      session.offerFanout(logged(4, "f4"), fanoutContent("f4"), Set.of("r1"));
      session.ack("r1", List.of("f1", "f4"));
      // f3 is unacked: the device has everything up to f3's previous push, f1; the next connection starts there and
      // gets f3 (and f4, which its de-duplication absorbs) again.
      List<SavePosition> kept = of(session.closed(), SavePosition.class);
      assertThat(kept).singleElement().satisfies(k -> assertThat(k.position()).isEqualTo(new FanoutPosition(1, EPOCH)));
    }

    @Test
    void aBindingWithEverythingAckedKeepsItsWholePosition() {
      connectIdle("r1");
      session.offerFanout(logged(1, "f1"), fanoutContent("f1"), Set.of("r1"));
      session.offerFanout(logged(2, "f2"), fanoutContent("f2"), Set.of());
      session.ack("r1", List.of("f1"));
      List<SavePosition> kept = of(session.kick("r1", DisconnectReason.SESSION_TAKEN_OVER, "newer"), SavePosition.class);
      assertThat(kept).singleElement().satisfies(k -> assertThat(k.position()).isEqualTo(new FanoutPosition(2, EPOCH)));
    }

    @Test
    void fanoutOfAnotherAppIsIgnored() {
      connectIdle("r1");
      FanoutEntry other = new FanoutEntry(1, EPOCH, "app-2", "x", Set.of(), Set.of(), 0, T0);
      assertThat(session.offerFanout(other, fanoutContent("x"), Set.of("r1"))).isEmpty();
    }
  }

  // ------------------------------------------------------------------ groups

  @Nested
  class Groups {
    private static final String GROUP = "g1";
    private final String channel = FanoutEntry.groupChannel(GROUP);

    private FanoutEntry groupEntry(long seq, String msgId, String sender) {
      return new FanoutEntry(seq, EPOCH, APP, channel, msgId, Set.of(), Set.of(), sender, 0, T0);
    }

    /** r1 is a member of g1 from offset {@code start}; r2 of no group. */
    private List<SessionAction> connectMember(long start) {
      List<Binding> bindings =
          List.of(
              Binding.newBuilder().setAppId(APP).setRegId("r1").build(),
              Binding.newBuilder().setAppId(APP).setRegId("r2").build());
      session.connect(1, bindings, 60_000, "android");
      List<SessionAction> out =
          new ArrayList<>(
              session.authenticated(
                  List.of(
                      new AuthenticatedBinding(
                          accepted("r1"),
                          "android",
                          new FanoutPosition(0, EPOCH),
                          Map.of(GROUP, new FanoutPosition(start, EPOCH))),
                      new AuthenticatedBinding(accepted("r2"), "android", new FanoutPosition(0, EPOCH)))));
      out.addAll(session.bound("r1"));
      out.addAll(session.bound("r2"));
      out.addAll(session.pendingRead("r1", List.of(), false));
      out.addAll(session.pendingRead("r2", List.of(), false));
      return out;
    }

    @Test
    void aMemberCatchesUpOnItsGroupFromItsPositionThenTakesLiveMessagesInSequence() {
      List<ReadFanout> reads = of(connectMember(3), ReadFanout.class);
      assertThat(reads)
          .extracting(ReadFanout::regId, ReadFanout::channel)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("r1", ""),
              org.assertj.core.groups.Tuple.tuple("r1", channel),
              org.assertj.core.groups.Tuple.tuple("r2", ""));
      ReadFanout groupRead = reads.stream().filter(r -> r.channel().equals(channel)).findFirst().orElseThrow();
      assertThat(groupRead.after()).isEqualTo(new FanoutPosition(3, EPOCH));
      session.fanoutRead("r1", new FanoutPage(EPOCH, 0, true, 0, 0, List.of()), Map.of());
      session.fanoutRead("r2", new FanoutPage(EPOCH, 0, true, 0, 0, List.of()), Map.of());
      FanoutPage page = new FanoutPage(EPOCH, 4, true, 3, 4, List.of(groupEntry(4, "g4", "r9")));
      List<SendPush> caughtUp =
          of(session.fanoutRead("r1", channel, page, Map.of(4L, fanoutContent("g4"))), SendPush.class);
      assertThat(caughtUp).extracting(SendPush::fanoutOffset).containsExactly(4L);
      assertThat(caughtUp).extracting(SendPush::fanoutPrevOffset).containsExactly(3L);

      List<SendPush> live =
          of(session.offerFanout(groupEntry(5, "g5", "r9"), fanoutContent("g5"), Set.of("r1")), SendPush.class);
      assertThat(live).extracting(SendPush::regId).containsExactly("r1");
      assertThat(live).extracting(SendPush::fanoutOffset).containsExactly(5L);
      // The app's own channel did not move: group and app positions are separate.
      List<SendPush> appWide =
          of(session.offerFanout(logged(1, "a1"), fanoutContent("a1"), Set.of("r1", "r2")), SendPush.class);
      assertThat(appWide).extracting(SendPush::fanoutPrevOffset).containsExactly(0L, 0L);
    }

    @Test
    void theSendersOwnMessageMovesItsPositionWithoutAPush() {
      connectMember(0);
      session.fanoutRead("r1", channel, new FanoutPage(EPOCH, 0, true, 0, 0, List.of()), Map.of());
      assertThat(session.offerFanout(groupEntry(1, "own", "r1"), fanoutContent("own"), Set.of())).isEmpty();
      List<SendPush> next =
          of(session.offerFanout(groupEntry(2, "theirs", "r9"), fanoutContent("theirs"), Set.of("r1")), SendPush.class);
      assertThat(next).extracting(SendPush::fanoutPrevOffset).containsExactly(0L);
      assertThat(next).extracting(SendPush::fanoutOffset).containsExactly(2L);
    }

    @Test
    void aJoiningMemberFollowsTheGroupFromItsJoinAndALeavingOneStops() {
      connectMember(0);
      List<SessionAction> out = session.joinedGroup("r2", "g2", new FanoutPosition(7, EPOCH));
      ReadFanout read = of(out, ReadFanout.class).get(0);
      assertThat(read.channel()).isEqualTo(FanoutEntry.groupChannel("g2"));
      assertThat(read.after()).isEqualTo(new FanoutPosition(7, EPOCH));
      session.leftGroup("r1", GROUP);
      assertThat(pushed(session.offerFanout(groupEntry(1, "late", "r9"), fanoutContent("late"), Set.of("r1"))))
          .isEmpty();
    }

    @Test
    void aPublishGoesToPushGroupAndItsAnswerIsAPubAckWithTheSequence() throws Exception {
      connectMember(0);
      UpstreamMessage message = new UpstreamMessage(UpstreamMessage.Kind.GROUP, "r1", GROUP, "{}".getBytes(), 60);
      List<SessionAction> out = session.publish(9, message);
      assertThat(of(out, SessionAction.SendUpstream.class))
          .singleElement()
          .satisfies(send -> assertThat(send.regId()).isEqualTo("r1"));
      Frame ack = of(session.published(9, 0, "", "m-1", 12), SendFrame.class).get(0).frame();
      assertThat(ack.signal()).isEqualTo(Signal.PUB_ACK);
      assertThat(ack.messageId()).isEqualTo(9);
      io.universepush.protocol.proto.PublishAck body = io.universepush.protocol.proto.PublishAck.parseFrom(ack.body());
      assertThat(body.getSeq()).isEqualTo(12);
      assertThat(body.getMsgId()).isEqualTo("m-1");
    }

    @Test
    void aPublishNamingNoBindingIsAnsweredInvalid() throws Exception {
      connectMember(0);
      List<SessionAction> out =
          session.publish(3, new UpstreamMessage(UpstreamMessage.Kind.GROUP, "nobody", GROUP, new byte[0], 0));
      Frame ack = of(out, SendFrame.class).get(0).frame();
      assertThat(io.universepush.protocol.proto.PublishAck.parseFrom(ack.body()).getResult())
          .isEqualTo(DeviceSession.UPSTREAM_INVALID);
    }
  }

  // ------------------------------------------------------------------ legacy clients

  @Nested
  class Legacy {
    @Test
    void aSubIsAnsweredWithTheTokenAndPushesCountAsDeliveredOnceWritten() {
      Frame sub = LegacyBodies.subRequest(ProtocolVersion.V2, 5, "uid-1");
      List<SessionAction> out = session.subscribeLegacy(sub, "uid-1");
      assertThat(of(out, SubscribeLegacy.class).get(0).uid()).isEqualTo("uid-1");
      LegacySubscription subscription = new LegacySubscription();
      subscription.setRegId("r1");
      subscription.setToken("tok");
      out = session.legacySubscribed(sub, subscription);
      Frame answer = of(out, SendFrame.class).get(0).frame();
      assertThat(answer.messageId()).isEqualTo(5);
      assertThat(answer.bodyAsText()).contains("\"token\":\"tok\"");
      assertThat(of(out, Bind.class).get(0).appId()).isEqualTo(DeviceSession.LEGACY_APP_ID);
      session.bound("r1");
      Delivery push = delivery("a", "r1", Duration.ofHours(1));
      push.setAppId(DeviceSession.LEGACY_APP_ID);
      List<SendPush> pushes = of(session.offer(List.of(push)), SendPush.class);
      assertThat(pushes).singleElement().satisfies(p -> assertThat(p.settleOnWrite()).isTrue());
      assertThat(session.inFlightCount()).isZero();
    }

    @Test
    void aLegacyPingSetsTheIdleTimeoutToTheIntervalPlusAMinute() {
      Frame sub = LegacyBodies.subRequest(ProtocolVersion.V2, 1, "u");
      session.subscribeLegacy(sub, "u");
      LegacySubscription subscription = new LegacySubscription();
      subscription.setRegId("r1");
      subscription.setToken("t");
      session.legacySubscribed(sub, subscription);
      Frame ping = LegacyBodies.pingRequest(ProtocolVersion.V2, 2, 30_000);
      List<SessionAction> out = session.legacyPing(ping, 30_000);
      assertThat(of(out, SendFrame.class).get(0).frame().bodyAsText()).isEqualTo("ping back next interval 30000");
      assertThat(session.nextTimerAt()).isEqualTo(T0 + 90_000);
    }

    @Test
    void anUnreachableSubscribeServiceAnswers503AndCloses() {
      Frame sub = LegacyBodies.subRequest(ProtocolVersion.V1, 1, "u");
      session.subscribeLegacy(sub, "u");
      List<SessionAction> out = session.legacySubscribed(sub, null);
      assertThat(of(out, SendFrame.class).get(0).frame().bodyAsText()).contains("503");
      assertThat(closeOf(out).reason()).isNull();
    }
  }
}
