package io.universepush.sdk.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.ProtocolException;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.GroupPosition;
import io.universepush.protocol.proto.GroupStart;
import io.universepush.protocol.proto.Ping;
import io.universepush.protocol.proto.Pong;
import io.universepush.protocol.proto.PublishAck;
import io.universepush.protocol.proto.Push;
import io.universepush.protocol.proto.StreamPosition;
import io.universepush.sdk.PositionStore;
import io.universepush.sdk.PublishResult;
import io.universepush.sdk.DedupStore;
import io.universepush.sdk.FanoutPosition;
import io.universepush.sdk.MemoryPositionStore;
import io.universepush.sdk.PushListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The protocol logic of one version-3 connection, without sockets or threads: CONNECT and its answer, heartbeats and
 * their deadline, pushes with de-duplication and acknowledgement, each binding's position per channel (its app's
 * fan-out log, and each of its groups' logs), upstream messages (PUBLISH) and their answers, the server's DISCONNECT. A transport feeds it frames
 * and clock ticks and carries out what it asks through {@link Transport}. All calls must come from one thread.
 * Not public API.
 */
public final class ClientSession {
  private static final Logger LOG = Logger.getLogger(ClientSession.class.getName());
  private static final int PING_REQUEST = 0;
  private static final int PING_ANSWER = 1;

  /** What the session needs from the connection that carries it. */
  public interface Transport {
    /** Writes a frame (queued when the socket is busy). */
    void send(Frame frame);

    /** The server accepted the credentials. */
    void accepted(String nodeId);

    /**
     * The connection is over: close it and reconnect later. {@code persistent} marks failures that retrying soon
     * will not fix (bad credentials, session taken over), which deserve the longest back-off. {@code redirect} lists
     * {@code "host:port"} connectors the server asked the client to use, possibly empty.
     */
    void failed(String reason, boolean persistent, List<String> redirect);
  }

  /** Settings of a session; immutable. */
  public static final class Settings {
    final List<BindingCredentials> bindings;
    final String platform;
    final String clientVersion;
    final long heartbeatIntervalMs;
    final long pongTimeoutMs;

    /** One binding. */
    public Settings(
        String appId,
        String regId,
        String token,
        String platform,
        String clientVersion,
        long heartbeatIntervalMs,
        long pongTimeoutMs) {
      this(
          Collections.singletonList(new BindingCredentials(appId, regId, token)),
          platform,
          clientVersion,
          heartbeatIntervalMs,
          pongTimeoutMs);
    }

    public Settings(
        List<BindingCredentials> bindings,
        String platform,
        String clientVersion,
        long heartbeatIntervalMs,
        long pongTimeoutMs) {
      if (bindings.isEmpty()) {
        throw new IllegalArgumentException("at least one binding is required");
      }
      this.bindings = Collections.unmodifiableList(new ArrayList<BindingCredentials>(bindings));
      this.platform = platform;
      this.clientVersion = clientVersion;
      this.heartbeatIntervalMs = heartbeatIntervalMs;
      this.pongTimeoutMs = pongTimeoutMs;
    }

    public List<BindingCredentials> bindings() {
      return bindings;
    }
  }

  private enum Phase {
    NEW,
    AWAITING_ACK,
    CONNECTED,
    ENDED
  }

  private final Settings settings;
  private final DedupStore dedup;
  private final PositionStore positions;
  private final SafeListener listener;
  private final Transport transport;
  /**
   * Per binding and channel ({@link #key}; the app's channel is {@link PositionStore#APP_CHANNEL}, a group's its id),
   * from {@link #start} and CONNECT_ACK. A group joined on this connection has none: its epoch is only known from the
   * next CONNECT_ACK.
   */
  private final Map<String, FanoutProgress> progress = new HashMap<String, FanoutProgress>();
  /** Per binding ({@link #key} without channel), the groups whose positions CONNECT carried. */
  private final Map<String, Set<String>> sentGroups = new HashMap<String, Set<String>>();
  /** Bindings ({@link #key} without channel) the server accepted on this connection. */
  private final Set<String> acceptedBindings = new HashSet<String>();
  /** Upstream messages written and not answered yet, by the PUBLISH's message id, oldest first. */
  private final Map<Integer, PendingPublish> publishing = new LinkedHashMap<Integer, PendingPublish>();
  private Phase phase = Phase.NEW;
  private int lastMessageId;
  private long heartbeatIntervalMs;
  private long nextPingAt = Long.MAX_VALUE;
  private long pongDeadline = Long.MAX_VALUE;

  /** A session whose fan-out positions live only as long as it does. */
  public ClientSession(Settings settings, DedupStore dedup, PushListener listener, Transport transport) {
    this(settings, dedup, new MemoryPositionStore(), listener, transport);
  }

  /** Exceptions from {@code listener} are logged; one from {@code onMessage} leaves the push unacknowledged. */
  public ClientSession(
      Settings settings, DedupStore dedup, PositionStore positions, PushListener listener, Transport transport) {
    this.settings = settings;
    this.dedup = dedup;
    this.positions = positions;
    this.listener = SafeListener.of(listener);
    this.transport = transport;
    this.heartbeatIntervalMs = settings.heartbeatIntervalMs;
  }

  /** The socket is connected: send CONNECT. */
  public void start() {
    if (phase != Phase.NEW) {
      throw new IllegalStateException("already started");
    }
    phase = Phase.AWAITING_ACK;
    Connect.Builder connect = Connect.newBuilder();
    for (BindingCredentials binding : settings.bindings) {
      String appId = binding.appId();
      String regId = binding.regId();
      FanoutPosition stored = storedPosition(appId, regId);
      progress.put(
          key(appId, regId, PositionStore.APP_CHANNEL), new FanoutProgress(stored, FanoutProgress.DEFAULT_MAX_HELD));
      Binding.Builder wire = Binding.newBuilder().setAppId(appId).setRegId(regId).setToken(binding.token());
      if (stored != null) {
        wire.setFanoutPosition(toWire(stored));
      }
      Set<String> groups = new HashSet<String>();
      for (Map.Entry<String, FanoutPosition> group : storedGroupPositions(appId, regId).entrySet()) {
        groups.add(group.getKey());
        progress.put(
            key(appId, regId, group.getKey()), new FanoutProgress(group.getValue(), FanoutProgress.DEFAULT_MAX_HELD));
        wire.addGroupPositions(
            GroupPosition.newBuilder().setGroupId(group.getKey()).setPosition(toWire(group.getValue())));
      }
      sentGroups.put(key(appId, regId), groups);
      connect.addBindings(wire);
    }
    connect
        .setHeartbeatIntervalMs((int) Math.min(Integer.MAX_VALUE, settings.heartbeatIntervalMs))
        .setPlatform(settings.platform)
        .setClientVersion(settings.clientVersion);
    transport.send(Frame.v3(Signal.CONNECT, 0, nextMessageId(), connect.build()));
  }

  public boolean isConnected() {
    return phase == Phase.CONNECTED;
  }

  /** When {@link #onTimer} next has work to do; {@link Long#MAX_VALUE} when nothing is scheduled. */
  public long nextTimerAt() {
    return phase == Phase.CONNECTED ? Math.min(nextPingAt, pongDeadline) : Long.MAX_VALUE;
  }

  /** Sends due heartbeats and notices a missing pong. */
  public void onTimer(long nowMs) {
    if (phase != Phase.CONNECTED) {
      return;
    }
    if (nowMs >= pongDeadline) {
      fail("heartbeat timeout: no pong within " + settings.pongTimeoutMs + " ms", false, null);
      return;
    }
    if (nowMs >= nextPingAt) {
      Ping ping = Ping.newBuilder().setIntervalMs((int) Math.min(Integer.MAX_VALUE, heartbeatIntervalMs)).build();
      transport.send(Frame.v3(Signal.PING, PING_REQUEST, nextMessageId(), ping));
      nextPingAt = nowMs + heartbeatIntervalMs;
      if (pongDeadline == Long.MAX_VALUE) {
        pongDeadline = nowMs + settings.pongTimeoutMs;
      }
    }
  }

  /** Handles one frame from the server. */
  public void onFrame(Frame frame, long nowMs) {
    if (phase == Phase.ENDED) {
      return;
    }
    try {
      if (frame.version() != ProtocolVersion.V3) {
        throw new ProtocolException(
            ProtocolError.UNEXPECTED_FRAME, "version-" + frame.version().code() + " frame on a version-3 connection");
      }
      switch (frame.signal()) {
        case CONNECT_ACK:
          onConnectAck(frame, nowMs);
          break;
        case PUSH:
          requireConnected(frame);
          onPush(Push.parseFrom(frame.body()));
          break;
        case PING:
          onPing(frame);
          break;
        case PUB_ACK:
          requireConnected(frame);
          onPublishAck(frame.messageId(), PublishAck.parseFrom(frame.body()));
          break;
        case DISCONNECT:
          onDisconnect(frame);
          break;
        default:
          // Signals a client never receives today; ignoring them lets servers add features without breaking us.
          LOG.fine("ignoring " + frame);
      }
    } catch (InvalidProtocolBufferException e) {
      protocolError(
          new ProtocolException(ProtocolError.MALFORMED_BODY, frame.signal() + " body: " + e.getMessage(), e));
    } catch (ProtocolException e) {
      protocolError(e);
    }
  }

  /** The stream from the server is invalid: tell it why, then give up the connection. */
  public void protocolError(ProtocolException e) {
    if (phase == Phase.ENDED) {
      return;
    }
    sendDisconnect(DisconnectReason.PROTOCOL_ERROR, e.getMessage());
    fail("protocol error: " + e.getMessage(), false, null);
  }

  /** The app closes the client: say goodbye politely when the server is listening. */
  public void disconnect() {
    disconnect(false);
  }

  /**
   * The app closes the client; with {@code clearSession} (logout) the server forgets the bindings' routes and stops
   * delivering to them. Returns whether a DISCONNECT was sent: only a connection the server listens to can carry it.
   */
  public boolean disconnect(boolean clearSession) {
    boolean sent = false;
    if (phase == Phase.AWAITING_ACK || phase == Phase.CONNECTED) {
      Disconnect body =
          Disconnect.newBuilder()
              .setReasonCode(DisconnectReason.NORMAL.code())
              .setReason(clearSession ? "logout" : "client closed")
              .setClearSession(clearSession)
              .build();
      transport.send(Frame.v3(Signal.DISCONNECT, DisconnectReason.NORMAL.code(), nextMessageId(), body));
      sent = true;
    }
    end(clearSession ? "logged out" : "client closed");
    return sent;
  }

  /**
   * The connection is gone (a read or write failed, the socket closed) without the session having been told: no
   * answer will come to what is pending. Nothing happens when the session already ended.
   */
  public void connectionLost(String reason) {
    end(reason);
  }

  /**
   * Sends an upstream message, answered through {@code message} when its PUB_ACK comes; fails it at once when the
   * connection is not up or the server did not accept its binding. Never kept for a later connection.
   */
  public void publish(PendingPublish message) {
    if (phase != Phase.CONNECTED) {
      message.unanswered("not connected", false);
      return;
    }
    if (!acceptedBindings.contains(key(message.appId, message.regId))) {
      message.unanswered("binding " + message.appId + "/" + message.regId + " was not accepted by the server", false);
      return;
    }
    int id = nextMessageId();
    // A message id names one pending request; one still unanswered 65,535 ids later keeps its own.
    while (publishing.containsKey(id)) {
      id = nextMessageId();
    }
    publishing.put(id, message);
    transport.send(Frame.v3(Signal.PUBLISH, message.kind.subSignal, id, message.body()));
  }

  /** How many upstream messages wait for their answer. */
  public int publishing() {
    return publishing.size();
  }

  private void onPublishAck(int messageId, PublishAck ack) {
    PendingPublish message = publishing.remove(messageId);
    if (message == null) {
      // The request was cancelled, or the server answers one we never sent: nobody waits for it.
      LOG.fine("PUB_ACK for no pending PUBLISH (message id " + messageId + ")");
      return;
    }
    if (message.kind == PendingPublish.Kind.LEAVE && ack.getResult() == PublishResult.OK) {
      // No more messages of the group: its position would only be sent back on every CONNECT.
      progress.remove(key(message.appId, message.regId, message.target));
      forgetGroup(message.appId, message.regId, message.target);
    }
    message.answered(
        new PublishResult(
            ack.getResult(), ack.getReason(), ack.getMsgId(), ack.getSeq(), ack.getServerTimeMs()));
  }

  private void end(String reason) {
    phase = Phase.ENDED;
    if (publishing.isEmpty()) {
      return;
    }
    List<PendingPublish> unanswered = new ArrayList<PendingPublish>(publishing.values());
    publishing.clear();
    for (PendingPublish message : unanswered) {
      message.unanswered("connection ended before the answer: " + reason, true);
    }
  }

  private void onConnectAck(Frame frame, long nowMs) throws InvalidProtocolBufferException, ProtocolException {
    if (phase != Phase.AWAITING_ACK) {
      throw new ProtocolException(ProtocolError.UNEXPECTED_FRAME, "CONNECT_ACK when not connecting");
    }
    ConnectAck ack = ConnectAck.parseFrom(frame.body());
    if (frame.subSignal() != ConnectResult.ACCEPTED.code()) {
      fail(rejection(frame.subSignal(), ack), isPersistent(frame.subSignal()), null);
      return;
    }
    phase = Phase.CONNECTED;
    if (ack.getHeartbeatIntervalMs() > 0) {
      heartbeatIntervalMs = ack.getHeartbeatIntervalMs();
    }
    nextPingAt = nowMs + heartbeatIntervalMs;
    if (ack.getBindingsCount() == 0) {
      // A server that reports no results per binding accepted them all.
      for (BindingCredentials binding : settings.bindings) {
        acceptedBindings.add(key(binding.appId(), binding.regId()));
      }
    }
    transport.accepted(ack.getNodeId());
    // The connection is up for the accepted bindings; each rejected one is the app's to fix, not a reason to leave.
    for (BindingResult binding : ack.getBindingsList()) {
      if (phase != Phase.CONNECTED) {
        break;
      }
      if (binding.getResult() != ConnectResult.ACCEPTED.code()) {
        listener.onBindingRejected(binding.getAppId(), binding.getRegId(), describe(binding));
      } else {
        acceptedBindings.add(key(binding.getAppId(), binding.getRegId()));
        startFanout(binding);
        startGroups(binding);
      }
    }
  }

  /**
   * Takes the server's position when the client had none or the server could not continue from the client's; the
   * latter means fan-out pushes were lost, which the app hears of. A result without a position is from a server
   * that does not track them: the client keeps its own.
   */
  private void startFanout(BindingResult binding) {
    if (binding.hasFanoutPosition()
        && startChannel(
            binding.getAppId(),
            binding.getRegId(),
            PositionStore.APP_CHANNEL,
            binding.getRecovered(),
            binding.getFanoutPosition())) {
      listener.onFanoutLost(binding.getAppId(), binding.getRegId());
    }
  }

  /**
   * The groups of the device, each with where the server starts (the same rules as the app's channel, per group);
   * the groups the client had a position for that are not among them it is no longer in, and forgets.
   */
  private void startGroups(BindingResult binding) {
    String appId = binding.getAppId();
    String regId = binding.getRegId();
    Set<String> sent = sentGroups.remove(key(appId, regId));
    Set<String> forgotten = sent == null ? new HashSet<String>() : sent;
    List<String> lost = new ArrayList<String>();
    for (GroupStart group : binding.getGroupsList()) {
      String groupId = group.getGroupId();
      if (groupId.isEmpty()) {
        LOG.warning("ignoring a group without id for " + appId + "/" + regId);
        continue;
      }
      forgotten.remove(groupId);
      String channel = key(appId, regId, groupId);
      if (!progress.containsKey(channel)) {
        progress.put(channel, new FanoutProgress(null, FanoutProgress.DEFAULT_MAX_HELD));
      }
      if (group.hasPosition() && startChannel(appId, regId, groupId, group.getRecovered(), group.getPosition())) {
        lost.add(groupId);
      }
    }
    for (String groupId : forgotten) {
      progress.remove(key(appId, regId, groupId));
      forgetGroup(appId, regId, groupId);
    }
    // Told once the store is settled, so an app that looks at it from the callback sees every group as it now is.
    for (String groupId : lost) {
      listener.onGroupMessagesLost(appId, regId, groupId);
    }
  }

  /**
   * Takes the server's position for a channel when the client sent none or the server could not continue from the
   * client's. Returns true in the latter case: entries were lost, which the app hears of.
   */
  private boolean startChannel(
      String appId, String regId, String channel, boolean recovered, StreamPosition position) {
    FanoutProgress fanout = progress.get(key(appId, regId, channel));
    if (fanout == null) {
      return false;
    }
    FanoutPosition server = toPosition(position);
    if (server == null) {
      LOG.warning("ignoring malformed position for " + appId + "/" + regId + " channel '" + channel + "'");
      return false;
    }
    if (fanout.start() != null && recovered) {
      return false;
    }
    fanout.restartAt(server);
    savePosition(appId, regId, channel, server);
    return fanout.start() != null;
  }

  private static StreamPosition toWire(FanoutPosition position) {
    return StreamPosition.newBuilder().setOffset(position.offset()).setEpoch(position.epoch()).build();
  }

  private static FanoutPosition toPosition(StreamPosition position) {
    // uint64 on the wire: an offset beyond Long.MAX_VALUE reads as negative, and no log gets there.
    return position.getOffset() < 0 ? null : new FanoutPosition(position.getOffset(), position.getEpoch());
  }

  private static String describe(BindingResult binding) {
    ConnectResult result = ConnectResult.fromCode(binding.getResult());
    return (result == null ? "code " + binding.getResult() : result.name())
        + (binding.getReason().isEmpty() ? "" : " " + binding.getReason());
  }

  private static String rejection(int code, ConnectAck ack) {
    ConnectResult result = ConnectResult.fromCode(code);
    String reason = ack.getReason();
    if (reason.isEmpty()) {
      for (BindingResult binding : ack.getBindingsList()) {
        if (!binding.getReason().isEmpty()) {
          reason = binding.getReason();
          break;
        }
      }
    }
    return "rejected: " + (result == null ? "code " + code : result.name()) + (reason.isEmpty() ? "" : " " + reason);
  }

  private static boolean isPersistent(int code) {
    return code == ConnectResult.BAD_PROTOCOL_VERSION.code()
        || code == ConnectResult.IDENTIFIER_REJECTED.code()
        || code == ConnectResult.BAD_CREDENTIALS.code()
        || code == ConnectResult.NOT_AUTHORIZED.code();
  }

  private void onPush(Push push) {
    String msgId = push.getMsgId();
    String appId = push.getAppId();
    String regId = push.getRegId();
    if (appId.isEmpty() && regId.isEmpty() && settings.bindings.size() == 1) {
      // A server may leave them out when the connection carries one binding: it can only be for that one.
      appId = settings.bindings.get(0).appId();
      regId = settings.bindings.get(0).regId();
    }
    // A redelivery of a push the app handled (only the ack was lost) is acknowledged again, not delivered.
    boolean duplicate = !msgId.isEmpty() && seen(appId, regId, msgId);
    if (!duplicate) {
      if (!listener.deliver(Pushes.toMessage(push, appId, regId))) {
        // The app did not handle it: no mark, no position, no ack, so the server sends it again.
        return;
      }
      if (!msgId.isEmpty()) {
        // Marked before the ack: after a crash between the two, the store recognises the server's redelivery.
        markSeen(appId, regId, msgId);
      }
    }
    if (push.getFanoutOffset() > 0) {
      // Saved before the ack: once the server has the ack it will not send this entry again. A group message counts
      // in its group's log, anything else in the app's.
      advancePosition(appId, regId, push.getGroupId(), push.getFanoutPrevOffset(), push.getFanoutOffset());
    }
    if (!msgId.isEmpty() && phase == Phase.CONNECTED) {
      // Acknowledge duplicates too: the server resends until it has an ack. The reg id says which binding's delivery
      // this settles: a message id is unique per device, so two apps on the connection may share one.
      Ack ack = Ack.newBuilder().addMsgIds(msgId).setRegId(regId).build();
      transport.send(Frame.v3(Signal.PUB_ACK, 0, nextMessageId(), ack));
    }
  }

  private boolean seen(String appId, String regId, String msgId) {
    try {
      return dedup.seen(appId, regId, msgId);
    } catch (RuntimeException e) {
      // Better a possible duplicate than a lost push.
      LOG.log(Level.WARNING, "DedupStore failed for " + msgId, e);
      return false;
    }
  }

  private void markSeen(String appId, String regId, String msgId) {
    try {
      dedup.markSeen(appId, regId, msgId);
    } catch (RuntimeException e) {
      // Acknowledged anyway: the app has it, and holding the ack back would only bring it again.
      LOG.log(Level.WARNING, "DedupStore failed for " + msgId + "; a redelivery may reach the app again", e);
    }
  }

  private FanoutPosition storedPosition(String appId, String regId) {
    try {
      return positions.position(appId, regId, PositionStore.APP_CHANNEL);
    } catch (RuntimeException e) {
      // Without a position the connector starts from the registration time, and the DedupStore absorbs repeats.
      LOG.log(Level.WARNING, "PositionStore failed for " + appId + "/" + regId, e);
      return null;
    }
  }

  private Map<String, FanoutPosition> storedGroupPositions(String appId, String regId) {
    try {
      Map<String, FanoutPosition> groups = positions.groupPositions(appId, regId);
      return groups == null ? Collections.<String, FanoutPosition>emptyMap() : groups;
    } catch (RuntimeException e) {
      // Without them each group starts at its newest message.
      LOG.log(Level.WARNING, "PositionStore failed for the groups of " + appId + "/" + regId, e);
      return Collections.emptyMap();
    }
  }

  private void advancePosition(String appId, String regId, String channel, long previousOffset, long offset) {
    FanoutProgress fanout = progress.get(key(appId, regId, channel));
    if (fanout != null && fanout.processed(previousOffset, offset)) {
      savePosition(appId, regId, channel, fanout.position());
    }
  }

  private void savePosition(String appId, String regId, String channel, FanoutPosition position) {
    try {
      positions.savePosition(appId, regId, channel, position);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "PositionStore failed for " + appId + "/" + regId + " channel '" + channel + "'", e);
    }
  }

  private void forgetGroup(String appId, String regId, String groupId) {
    try {
      positions.forgetGroup(appId, regId, groupId);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "PositionStore failed for " + appId + "/" + regId + " group '" + groupId + "'", e);
    }
  }

  private static String key(String appId, String regId) {
    return appId + '\n' + regId;
  }

  private static String key(String appId, String regId, String channel) {
    return appId + '\n' + regId + '\n' + channel;
  }

  private void onPing(Frame frame) throws InvalidProtocolBufferException, ProtocolException {
    requireConnected(frame);
    if (frame.subSignal() == PING_ANSWER) {
      Pong.parseFrom(frame.body());
      pongDeadline = Long.MAX_VALUE;
    } else {
      Pong pong = Pong.newBuilder().setIntervalMs((int) Math.min(Integer.MAX_VALUE, heartbeatIntervalMs)).build();
      transport.send(Frame.v3(Signal.PING, PING_ANSWER, frame.messageId(), pong));
    }
  }

  private void onDisconnect(Frame frame) {
    Disconnect disconnect;
    try {
      disconnect = Disconnect.parseFrom(frame.body());
    } catch (InvalidProtocolBufferException e) {
      // Leaving anyway; the code in the sub-signal is enough.
      disconnect = Disconnect.newBuilder().setReasonCode(frame.subSignal()).build();
    }
    int code = disconnect.getReasonCode() != 0 ? disconnect.getReasonCode() : frame.subSignal();
    DisconnectReason reason = DisconnectReason.fromCode(code);
    String text =
        "server disconnected: "
            + (reason == null ? "code " + code : reason.name())
            + (disconnect.getReason().isEmpty() ? "" : " " + disconnect.getReason());
    boolean persistent =
        reason == DisconnectReason.AUTH_FAILED
            || reason == DisconnectReason.SESSION_TAKEN_OVER
            || reason == DisconnectReason.APP_REMOVED
            || reason == DisconnectReason.RATE_LIMITED;
    fail(text, persistent, disconnect.getRedirectList());
  }

  private void requireConnected(Frame frame) throws ProtocolException {
    if (phase != Phase.CONNECTED) {
      throw new ProtocolException(ProtocolError.UNEXPECTED_FRAME, frame.signal() + " before CONNECT_ACK");
    }
  }

  private void sendDisconnect(DisconnectReason reason, String text) {
    Disconnect body = Disconnect.newBuilder().setReasonCode(reason.code()).setReason(text).build();
    transport.send(Frame.v3(Signal.DISCONNECT, reason.code(), nextMessageId(), body));
  }

  private void fail(String reason, boolean persistent, List<String> redirect) {
    end(reason);
    transport.failed(reason, persistent, redirect == null ? Collections.<String>emptyList() : redirect);
  }

  private int nextMessageId() {
    lastMessageId = lastMessageId == Frame.MAX_MESSAGE_ID ? 1 : lastMessageId + 1;
    return lastMessageId;
  }
}
