package io.universepush.connector.session;

import io.universepush.connector.auth.AuthenticatedBinding;
import io.universepush.connector.auth.ConnectDecision;
import io.universepush.connector.session.SessionAction.Authenticate;
import io.universepush.connector.session.SessionAction.Bind;
import io.universepush.connector.session.SessionAction.Close;
import io.universepush.connector.session.SessionAction.CountAttempts;
import io.universepush.connector.session.SessionAction.Expired;
import io.universepush.connector.session.SessionAction.Failed;
import io.universepush.connector.session.SessionAction.ReadFanout;
import io.universepush.connector.session.SessionAction.ReadPending;
import io.universepush.connector.session.SessionAction.Receipt;
import io.universepush.connector.session.SessionAction.RenewRoutes;
import io.universepush.connector.session.SessionAction.SavePosition;
import io.universepush.connector.session.SessionAction.SendFrame;
import io.universepush.connector.session.SessionAction.SendPush;
import io.universepush.connector.session.SessionAction.Settle;
import io.universepush.connector.session.SessionAction.SubscribeLegacy;
import io.universepush.connector.session.SessionAction.Unbind;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.legacy.LegacyBodies;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Pong;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.subscribe.LegacySubscription;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutPage;
import io.universepush.store.fanout.FanoutPosition;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One device connection's protocol logic, whatever carries it (TCP, WebSocket, MQTT): commands in (a client frame in
 * protocol terms, a delivery offered, the timer, an answer from the store), {@link SessionAction}s out (send this,
 * close with this reason, ask the store that). No sockets, threads or clients of Redis and Dubbo: the connection's
 * adapter calls it from one thread (its event loop) and carries the actions out. Time comes from the {@link Clock}.
 *
 * <p>Delivery: a push offered is queued, then written while the window ({@code maxInFlight} unacknowledged) has room
 * and the socket drains; an ack frees the window and the queue moves on. Nothing accepted is dropped while the device
 * stays connected: a unicast push the queue cannot hold stays in its pending set, which is read again once the queue
 * empties; a fan-out entry the session cannot take is read from the app's log. Fan-out follows the log's offsets: the
 * live path takes entry N+1 only at position N, a session behind reads the log first, so every binding gets every
 * entry for it once, in order.
 */
public final class DeviceSession {
  static final int PONG = 1;
  /** universe_push's SUB answer when the subscription could not be made. */
  static final int LEGACY_STATUS_UNAVAILABLE = 503;
  /** The reserved app of universe_push devices, should push-subscribe not name it. */
  public static final String LEGACY_APP_ID = "legacy";
  /** Frames a client may send before its CONNECT_ACK (PINGs); more is a protocol error. */
  static final int MAX_FRAMES_BEFORE_ACCEPT = 16;
  /** PublishAck result: the PUBLISH itself is wrong (docs/PROTOCOL.md). */
  static final int UPSTREAM_INVALID = 6;

  private enum Phase {
    /** Waiting for CONNECT or SUB. */
    NEW,
    AUTHENTICATING,
    OPEN,
    CLOSED
  }

  private final SessionSettings settings;
  private final Clock clock;
  private final String nodeId;
  private Phase phase = Phase.NEW;
  private ProtocolVersion version;
  private long authDeadline;
  private long lastReadAtMs;
  private long heartbeatIntervalMs;
  private long idleTimeoutMs;
  private int framesBeforeAccept;
  /** The message id of the CONNECT being authenticated, for its CONNECT_ACK. */
  private int pendingConnectMessageId;
  private boolean writable = true;

  private final Map<String, BindingState> bindings = new LinkedHashMap<>();
  private final ArrayDeque<InFlightDelivery> queue = new ArrayDeque<>();
  private final Set<InFlightDelivery.Key> queued = new HashSet<>();
  private final InFlightDeliveries inFlight = new InFlightDeliveries();
  /** Acked persisted pushes whose pending entries the store has not removed yet: a pending read must skip them. */
  private final Set<InFlightDelivery.Key> settling = new HashSet<>();

  /** Store or service calls fail since then (0: they do not); past the bound the connection is closed. */
  private long unavailableSinceMs;
  /** No store reads are asked before this (a failed call waits before it is retried). */
  private long retryAtMs;

  /** @param nodeId this node's id, for CONNECT_ACK ("" while unknown) */
  public DeviceSession(SessionSettings settings, Clock clock, String nodeId) {
    this.settings = settings;
    this.clock = clock;
    this.nodeId = nodeId == null ? "" : nodeId;
    long now = clock.millis();
    this.authDeadline = now + settings.authTimeout().toMillis();
    this.lastReadAtMs = now;
  }

  // ------------------------------------------------------------------ state, for the adapter and its registry

  /** The protocol version of the connection: null until its first CONNECT or SUB. */
  public ProtocolVersion version() {
    return version;
  }

  public boolean isOpen() {
    return phase == Phase.OPEN;
  }

  public boolean isClosed() {
    return phase == Phase.CLOSED;
  }

  public boolean holds(String regId) {
    return bindings.containsKey(regId);
  }

  /** The app of a bound device, or null. */
  public String appOf(String regId) {
    BindingState binding = bindings.get(regId);
    return binding == null ? null : binding.appId;
  }

  public Set<String> regIds() {
    return Set.copyOf(bindings.keySet());
  }

  public long heartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  public long idleTimeoutMs() {
    return idleTimeoutMs;
  }

  public int inFlightCount() {
    return inFlight.size();
  }

  public int queuedCount() {
    return queue.size();
  }

  /** When {@link #timer()} next has work to do; {@link Long#MAX_VALUE} when nothing is scheduled. */
  public long nextTimerAt() {
    return switch (phase) {
      case NEW, AUTHENTICATING -> authDeadline;
      case OPEN -> {
        long next = Math.min(lastReadAtMs + idleTimeoutMs, inFlight.nextDueAtMs());
        if (unavailableSinceMs > 0) {
          next = Math.min(next, Math.max(retryAtMs, clock.millis()));
          next = Math.min(next, unavailableSinceMs + settings.storeUnavailableTimeout().toMillis());
        }
        yield next;
      }
      case CLOSED -> Long.MAX_VALUE;
    };
  }

  // ------------------------------------------------------------------ client frames

  /** Version 3 CONNECT. */
  public List<SessionAction> connect(int messageId, List<Binding> requested, long heartbeatMs, String platform) {
    List<SessionAction> out = new ArrayList<>();
    if (phase != Phase.NEW) {
      return protocolError(out, "CONNECT on a connection that already sent one");
    }
    read();
    version = ProtocolVersion.V3;
    if (requested.isEmpty()) {
      return refuse(out, messageId, ConnectResult.IDENTIFIER_REJECTED, List.of(), "CONNECT carries no binding");
    }
    if (requested.size() > settings.maxBindings()) {
      return refuse(
          out,
          messageId,
          ConnectResult.IDENTIFIER_REJECTED,
          List.of(),
          requested.size() + " bindings, at most " + settings.maxBindings() + " per connection");
    }
    phase = Phase.AUTHENTICATING;
    heartbeatIntervalMs = settings.heartbeats().v3Interval(heartbeatMs);
    idleTimeoutMs = settings.heartbeats().v3IdleTimeout(heartbeatIntervalMs);
    // The auth timeout is the client's to meet; checking its credentials is ours, and may be slow in a reconnect
    // storm: closing it then would only make it come back. It waits as long as it would for a heartbeat answer.
    authDeadline = clock.millis() + Math.max(settings.authTimeout().toMillis(), idleTimeoutMs);
    pendingConnectMessageId = messageId;
    out.add(new Authenticate(List.copyOf(requested), platform == null ? "" : platform));
    return out;
  }

  /** The answer to {@link Authenticate}, one result per binding in order. */
  public List<SessionAction> authenticated(List<AuthenticatedBinding> checked) {
    List<SessionAction> out = new ArrayList<>();
    if (phase != Phase.AUTHENTICATING) {
      return out;
    }
    List<BindingResult> results = checked.stream().map(AuthenticatedBinding::result).toList();
    ConnectResult overall = ConnectDecision.overall(results);
    if (overall != ConnectResult.ACCEPTED) {
      return refuse(out, pendingConnectMessageId, overall, results, "no binding accepted");
    }
    phase = Phase.OPEN;
    // Written before any push can be, so CONNECT_ACK precedes every PUSH.
    out.add(new SendFrame(connectAck(pendingConnectMessageId, ConnectResult.ACCEPTED, results, heartbeatIntervalMs, "")));
    for (AuthenticatedBinding binding : checked) {
      BindingResult result = binding.result();
      if (result.getResult() == ConnectResult.ACCEPTED.code() && binding.fanoutStart() != null) {
        bindings.put(
            result.getRegId(),
            BindingState.following(
                result.getAppId(),
                result.getRegId(),
                binding.platform(),
                binding.fanoutStart(),
                binding.groupStarts()));
      }
    }
    return pump(out);
  }

  /** universe_push's SUB (versions 1 and 2): the first of a connection, or a later one adding a binding. */
  public List<SessionAction> subscribeLegacy(Frame request, String uid) {
    List<SessionAction> out = new ArrayList<>();
    if (phase == Phase.NEW) {
      version = request.version();
      phase = Phase.AUTHENTICATING;
      heartbeatIntervalMs = HeartbeatPolicy.LEGACY_DEFAULT_INTERVAL_MS;
      idleTimeoutMs = settings.heartbeats().legacyIdleTimeout(heartbeatIntervalMs);
      authDeadline = clock.millis() + Math.max(settings.authTimeout().toMillis(), idleTimeoutMs);
    } else if (phase != Phase.OPEN || version != request.version()) {
      return out;
    }
    read();
    out.add(new SubscribeLegacy(uid, request));
    return out;
  }

  /** The answer to {@link SubscribeLegacy}; null when push-subscribe could not be reached. */
  public List<SessionAction> legacySubscribed(Frame request, LegacySubscription subscription) {
    List<SessionAction> out = new ArrayList<>();
    if (phase != Phase.AUTHENTICATING && phase != Phase.OPEN) {
      return out;
    }
    if (subscription == null || subscription.getRegId() == null) {
      out.add(
          new SendFrame(
              LegacyBodies.subResponse(request.version(), request.messageId(), LEGACY_STATUS_UNAVAILABLE, null)));
      return close(out, null, "subscription unavailable");
    }
    phase = Phase.OPEN;
    String appId =
        subscription.getAppId() == null || subscription.getAppId().isBlank()
            ? LEGACY_APP_ID
            : subscription.getAppId();
    out.add(new SendFrame(LegacyBodies.subResponse(request.version(), request.messageId(), 200, subscription.getToken())));
    String regId = subscription.getRegId();
    if (!bindings.containsKey(regId) && bindings.size() < settings.maxBindings()) {
      bindings.put(regId, BindingState.legacy(appId, regId));
    }
    return pump(out);
  }

  /** Version 3 PING (0: no interval stated). */
  public List<SessionAction> ping(int messageId, long requestedIntervalMs) {
    List<SessionAction> out = new ArrayList<>();
    if (beforeAccept(out)) {
      return out;
    }
    read();
    if (requestedIntervalMs > 0) {
      heartbeatIntervalMs = settings.heartbeats().v3Interval(requestedIntervalMs);
      idleTimeoutMs = settings.heartbeats().v3IdleTimeout(heartbeatIntervalMs);
    }
    Pong pong =
        Pong.newBuilder().setIntervalMs((int) heartbeatIntervalMs).setServerTimeMs(clock.millis()).build();
    out.add(new SendFrame(Frame.v3(Signal.PING, PONG, messageId, pong)));
    return heartbeat(out);
  }

  /** Versions 1 and 2 PING; {@code requestedIntervalMs} -1 when the body stated none (the answer still goes out). */
  public List<SessionAction> legacyPing(Frame request, long requestedIntervalMs) {
    List<SessionAction> out = new ArrayList<>();
    if (beforeAccept(out)) {
      return out;
    }
    read();
    heartbeatIntervalMs = settings.heartbeats().legacyInterval(requestedIntervalMs, heartbeatIntervalMs);
    idleTimeoutMs = settings.heartbeats().legacyIdleTimeout(heartbeatIntervalMs);
    out.add(new SendFrame(LegacyBodies.pingResponse(request, heartbeatIntervalMs)));
    return heartbeat(out);
  }

  private List<SessionAction> heartbeat(List<SessionAction> out) {
    if (phase != Phase.OPEN) {
      return out;
    }
    Map<String, String> routed = new LinkedHashMap<>();
    long now = clock.millis();
    long recheck = settings.pendingRecheckInterval().toMillis();
    for (BindingState binding : bindings.values()) {
      if (binding.bound) {
        routed.put(binding.regId, binding.appId);
      }
      if (now - binding.pendingReadAtMs >= recheck) {
        // The safety net for what no event announced: a delivery call that never reached this node, a fan-out
        // event dropped on the way with none after it.
        binding.pendingMore = true;
        binding.channels.values().forEach(channel -> channel.catchingUp = true);
      }
    }
    if (!routed.isEmpty()) {
      out.add(new RenewRoutes(routed, routeTtl()));
    }
    return pump(out);
  }

  /** PUB_ACK: these deliveries reached the app. {@code regId} empty: every binding holding each id (older clients). */
  public List<SessionAction> ack(String regId, List<String> msgIds) {
    List<SessionAction> out = new ArrayList<>();
    if (phase != Phase.OPEN) {
      return phase == Phase.CLOSED ? out : protocolError(out, "PUB_ACK before CONNECT_ACK");
    }
    read();
    List<Receipt> receipts = new ArrayList<>(msgIds.size());
    for (String msgId : msgIds) {
      if (regId == null || regId.isEmpty()) {
        for (InFlightDelivery entry : inFlight.acknowledgeAll(msgId)) {
          receipts.add(settle(entry));
        }
      } else {
        InFlightDelivery entry = inFlight.acknowledge(msgId, regId);
        if (entry != null) {
          receipts.add(settle(entry));
        }
      }
    }
    if (!receipts.isEmpty()) {
      out.add(new Settle(receipts));
    }
    return pump(out);
  }

  private Receipt settle(InFlightDelivery entry) {
    if (entry.isPersisted()) {
      settling.add(entry.key());
    }
    return new Receipt(entry.regId(), entry.msgId(), entry.isPersisted());
  }

  /** The store has the receipts of a {@link Settle}. */
  public List<SessionAction> settled(List<Receipt> receipts) {
    for (Receipt receipt : receipts) {
      settling.remove(new InFlightDelivery.Key(receipt.msgId(), receipt.regId()));
    }
    return List.of();
  }

  /**
   * DISCONNECT from the client. With {@code clearSession} (logout) every binding leaves now, with its route, so nothing
   * more is delivered or routed to it; otherwise the routes go with the connection ({@link #closed()}).
   */
  public List<SessionAction> disconnect(boolean clearSession) {
    List<SessionAction> out = new ArrayList<>();
    if (phase == Phase.CLOSED) {
      return out;
    }
    if (clearSession) {
      for (BindingState binding : List.copyOf(bindings.values())) {
        drop(out, binding);
      }
    }
    return close(out, null, clearSession ? "logout" : "client disconnected");
  }

  /** A frame the protocol does not allow here (the adapter has decoded it). */
  public List<SessionAction> unexpected(String what) {
    return protocolError(new ArrayList<>(), what);
  }

  // ------------------------------------------------------------------ deliveries

  /**
   * Unicast pushes for this session's bindings (their attempts already counted). Each is queued, unless it is already
   * here; one the queue cannot hold stays in its pending set (read again later) or, online-only, is dropped.
   */
  public List<SessionAction> offer(List<Delivery> deliveries) {
    List<SessionAction> out = new ArrayList<>();
    if (phase != Phase.OPEN) {
      return out;
    }
    long now = clock.millis();
    List<Delivery> expired = new ArrayList<>();
    for (Delivery delivery : deliveries) {
      BindingState binding = bindings.get(delivery.getRegId());
      if (binding == null || !sameApp(delivery.getAppId(), binding.appId)) {
        continue;
      }
      InFlightDelivery entry = new InFlightDelivery(delivery, binding.regId, 0, 0, delivery.getAttempt());
      if (entry.isExpired(now)) {
        expired.add(delivery);
      } else if (queue.size() < settings.maxQueued()) {
        enqueue(entry);
      } else if (entry.isPersisted()) {
        binding.pendingMore = true;
      } else {
        out.add(new Failed(delivery, binding.regId, entry.attempt() - 1));
      }
    }
    if (!expired.isEmpty()) {
      out.add(new Expired(expired));
    }
    return pump(out);
  }

  /**
   * A fan-out event from the live path: the entry (with its offset, 0 for online-only pushes), its message, and which
   * of this session's bindings of the entry's app are in its audience. Every binding of the app moves past a logged
   * entry, for it or not, so that its position stays contiguous.
   */
  public List<SessionAction> offerFanout(FanoutEntry entry, Delivery content, Set<String> matchingRegIds) {
    List<SessionAction> out = new ArrayList<>();
    if (phase != Phase.OPEN) {
      return out;
    }
    if (content.getExpiresAtMs() > 0 && clock.millis() >= content.getExpiresAtMs()) {
      return out;
    }
    for (BindingState binding : bindings.values()) {
      if (!binding.appId.equals(entry.appId())) {
        continue;
      }
      boolean matches = matchingRegIds.contains(binding.regId);
      ChannelState channel = binding.channels.get(entry.channel());
      if (channel == null) {
        // Legacy bindings take the app's live pushes without a position; a group it does not follow is not its.
        if (entry.channel().isEmpty() && matches && queue.size() < settings.maxQueued()) {
          enqueue(new InFlightDelivery(content, binding.regId, 0, 0, 1));
        }
        continue;
      }
      if (!entry.isLogged()) {
        if (matches && queue.size() < settings.maxQueued()) {
          enqueue(new InFlightDelivery(content, binding.regId, 0, 0, 1));
        }
        continue;
      }
      if (!channel.epoch.equals(entry.epoch())) {
        return logReset(out, binding);
      }
      channel.announcedOffset = Math.max(channel.announcedOffset, entry.offset());
      if (channel.catchingUp || entry.offset() <= channel.position) {
        continue;
      }
      if (entry.offset() == channel.position + 1 && queue.size() < settings.maxQueued()) {
        if (matches) {
          enqueueFanout(binding, channel, content, entry.offset());
        }
        channel.position = entry.offset();
      } else {
        // A missed event, or no room: the log has it.
        channel.catchingUp = true;
      }
    }
    return pump(out);
  }

  private void enqueueFanout(BindingState binding, ChannelState channel, Delivery content, long offset) {
    enqueue(new InFlightDelivery(content, binding.regId, channel.channel, offset, channel.lastPushOffset, 1));
    channel.lastPushOffset = offset;
  }

  private void enqueue(InFlightDelivery entry) {
    InFlightDelivery.Key key = entry.key();
    if (inFlight.holds(key) || settling.contains(key) || !queued.add(key)) {
      return;
    }
    queue.add(entry);
  }

  /** The socket can take more (true) or its outbound buffer is over the high-water mark (false). */
  public List<SessionAction> writable(boolean canWrite) {
    writable = canWrite;
    return canWrite ? pump(new ArrayList<>()) : List.of();
  }

  // ------------------------------------------------------------------ answers from the store

  /** The registry entry and route of the binding name this session. */
  public List<SessionAction> bound(String regId) {
    List<SessionAction> out = new ArrayList<>();
    BindingState binding = bindings.get(regId);
    if (binding == null) {
      return out;
    }
    binding.binding = false;
    binding.bound = true;
    storeAnswered();
    return pump(out);
  }

  public List<SessionAction> bindFailed(String regId) {
    BindingState binding = bindings.get(regId);
    if (binding != null) {
      binding.binding = false;
    }
    return storeFailed(new ArrayList<>());
  }

  /** A page of the binding's pending set: deliveries to write (attempts counted), and whether more is left. */
  public List<SessionAction> pendingRead(String regId, List<Delivery> page, boolean more) {
    List<SessionAction> out = new ArrayList<>();
    BindingState binding = bindings.get(regId);
    if (binding == null || phase != Phase.OPEN) {
      return out;
    }
    binding.readingPending = false;
    binding.pendingMore = binding.pendingMore || more;
    storeAnswered();
    for (Delivery delivery : page) {
      enqueue(new InFlightDelivery(delivery, regId, 0, 0, delivery.getAttempt()));
    }
    return pump(out);
  }

  public List<SessionAction> pendingReadFailed(String regId) {
    BindingState binding = bindings.get(regId);
    if (binding != null) {
      binding.readingPending = false;
      binding.pendingMore = true;
    }
    return storeFailed(new ArrayList<>());
  }

  /**
   * A page of one of the binding's channels: {@code contents} holds, by offset, the entries of the page that are for
   * this device and whose message is still stored.
   */
  public List<SessionAction> fanoutRead(
      String regId, String channelName, FanoutPage page, Map<Long, Delivery> contents) {
    List<SessionAction> out = new ArrayList<>();
    BindingState binding = bindings.get(regId);
    ChannelState channel = binding == null ? null : binding.channels.get(channelName);
    if (channel == null || phase != Phase.OPEN) {
      return out;
    }
    channel.reading = false;
    storeAnswered();
    if (!channel.epoch.equals(page.epoch()) || !page.recovered()) {
      return logReset(out, binding);
    }
    if (page.from() != channel.position) {
      // Read from an older position (a live entry was taken meanwhile): read again from where the channel is.
      return pump(out);
    }
    for (FanoutEntry entry : page.entries()) {
      Delivery content = contents.get(entry.offset());
      if (content != null && entry.offset() > channel.position) {
        enqueueFanout(binding, channel, content, entry.offset());
      }
    }
    channel.position = Math.max(channel.position, page.until());
    channel.announcedOffset = Math.max(channel.announcedOffset, page.top());
    channel.catchingUp = channel.position < channel.announcedOffset;
    return pump(out);
  }

  /** The app's own channel ({@link #fanoutRead(String, String, FanoutPage, Map)}). */
  public List<SessionAction> fanoutRead(String regId, FanoutPage page, Map<Long, Delivery> contents) {
    return fanoutRead(regId, "", page, contents);
  }

  public List<SessionAction> fanoutReadFailed(String regId, String channelName) {
    BindingState binding = bindings.get(regId);
    ChannelState channel = binding == null ? null : binding.channels.get(channelName);
    if (channel != null) {
      channel.reading = false;
    }
    return storeFailed(new ArrayList<>());
  }

  // ------------------------------------------------------------------ groups

  /**
   * The device joined a group: the binding follows the group's channel from {@code start} (the group's newest
   * message when it joined), so it gets what is sent from then on.
   */
  public List<SessionAction> joinedGroup(String regId, String groupId, FanoutPosition start) {
    BindingState binding = bindings.get(regId);
    String channel = FanoutEntry.groupChannel(groupId);
    if (binding == null || !binding.followsLog() || binding.channels.containsKey(channel) || phase != Phase.OPEN) {
      return List.of();
    }
    binding.channels.put(channel, new ChannelState(channel, start));
    return pump(new ArrayList<>());
  }

  /** The device left the group (or it was dismissed): nothing more of it is taken. */
  public List<SessionAction> leftGroup(String regId, String groupId) {
    BindingState binding = bindings.get(regId);
    if (binding != null) {
      binding.channels.remove(FanoutEntry.groupChannel(groupId));
    }
    return List.of();
  }

  /**
   * PUBLISH: a message from a bound device to a group or to one device. {@code regId} may be empty when the
   * connection carries one binding. Answered by {@link #published} once push-group has it.
   */
  public List<SessionAction> publish(int messageId, UpstreamMessage message) {
    List<SessionAction> out = new ArrayList<>();
    if (phase != Phase.OPEN) {
      return phase == Phase.CLOSED ? out : protocolError(out, "PUBLISH before CONNECT_ACK");
    }
    read();
    BindingState binding =
        message.regId().isEmpty() && bindings.size() == 1
            ? bindings.values().iterator().next()
            : bindings.get(message.regId());
    if (binding == null) {
      if (!version.isLegacy()) {
        out.add(
            new SendFrame(
                UpstreamMessage.answer(
                    messageId, UPSTREAM_INVALID, "reg_id names no binding of this connection", null, clock.millis())));
      }
      return out;
    }
    out.add(new SessionAction.SendUpstream(messageId, binding.appId, binding.regId, message));
    return out;
  }

  /** push-group's answer to a {@link SessionAction.SendUpstream}: a PUB_ACK with the result. */
  public List<SessionAction> published(int messageId, int result, String reason, String msgId, long seq) {
    // universe_push's CONTACT has no answer.
    if (phase != Phase.OPEN || version.isLegacy()) {
      return List.of();
    }
    return List.of(
        new SendFrame(
            UpstreamMessage.answer(
                messageId,
                result,
                reason,
                msgId == null ? null : new UpstreamMessage.Sent(msgId, seq),
                clock.millis())));
  }

  /**
   * The store counted another attempt of each persisted redelivery ({@code attempts} in order; 0: its pending entry
   * is gone, the message was settled elsewhere), or could not ({@code attempts} null: tried again a timeout later).
   */
  public List<SessionAction> attemptsCounted(List<InFlightDelivery> entries, List<Integer> attempts) {
    List<SessionAction> out = new ArrayList<>();
    if (phase != Phase.OPEN) {
      return out;
    }
    long now = clock.millis();
    if (attempts == null) {
      for (InFlightDelivery entry : entries) {
        if (inFlight.contains(entry)) {
          entry.postpone(now + settings.redelivery().delayMs(1));
        }
      }
      return storeFailed(out);
    }
    storeAnswered();
    for (int i = 0; i < entries.size(); i++) {
      InFlightDelivery entry = entries.get(i);
      if (!inFlight.contains(entry)) {
        continue; // acked meanwhile
      }
      int attempt = attempts.get(i);
      if (attempt == 0 || !bindings.containsKey(entry.regId())) {
        inFlight.remove(entry);
      } else if (settings.redelivery().exhausted(attempt)) {
        inFlight.remove(entry);
        out.add(new Failed(entry.content(), entry.regId(), attempt - 1));
      } else {
        write(out, entry, attempt, now);
      }
    }
    return pump(out);
  }

  // ------------------------------------------------------------------ time, takeover, the end

  /** The adapter's timer fired: auth and idle timeouts, redeliveries due, store calls to retry. */
  public List<SessionAction> timer() {
    List<SessionAction> out = new ArrayList<>();
    long now = clock.millis();
    switch (phase) {
      case NEW, AUTHENTICATING -> {
        if (now >= authDeadline) {
          out.add(new SessionAction.AuthTimedOut());
          return close(out, null, "no CONNECT/SUB within " + settings.authTimeout().toMillis() + " ms");
        }
      }
      case OPEN -> {
        if (now >= lastReadAtMs + idleTimeoutMs) {
          return close(out, DisconnectReason.IDLE_TIMEOUT, "no heartbeat");
        }
        if (unavailableSinceMs > 0 && now - unavailableSinceMs >= settings.storeUnavailableTimeout().toMillis()) {
          return close(out, DisconnectReason.SERVER_UNAVAILABLE, "server temporarily unavailable, reconnect later");
        }
        redeliver(out, now);
        return pump(out);
      }
      case CLOSED -> {}
    }
    return out;
  }

  private void redeliver(List<SessionAction> out, long now) {
    List<InFlightDelivery> toCount = new ArrayList<>();
    for (InFlightDelivery entry : inFlight.due(now)) {
      if (!bindings.containsKey(entry.regId())) {
        inFlight.remove(entry);
      } else if (entry.isExpired(now)) {
        inFlight.remove(entry);
        out.add(new Expired(List.of(entry.content())));
      } else if (entry.isPersisted()) {
        entry.redelivering();
        toCount.add(entry);
      } else if (settings.redelivery().exhausted(entry.attempt() + 1)) {
        inFlight.remove(entry);
        out.add(new Failed(entry.content(), entry.regId(), entry.attempt()));
      } else {
        write(out, entry, entry.attempt() + 1, now);
      }
    }
    if (!toCount.isEmpty()) {
      out.add(new CountAttempts(toCount));
    }
  }

  /**
   * The binding is to leave this session: taken over by a newer connection (here or on another node), or removed by
   * the app. The connection closes with the reason when it was the last binding.
   */
  public List<SessionAction> kick(String regId, DisconnectReason reason, String text) {
    List<SessionAction> out = new ArrayList<>();
    BindingState binding = bindings.get(regId);
    if (binding == null || phase == Phase.CLOSED) {
      return out;
    }
    drop(out, binding);
    if (bindings.isEmpty()) {
      return close(out, reason, text);
    }
    return pump(out);
  }

  /** The node ends the connection: DISCONNECT with the reason. */
  public List<SessionAction> end(DisconnectReason reason, String text) {
    return end(reason, text, List.of());
  }

  /**
   * The node ends the connection (a drain at shutdown): DISCONNECT with the reason and the connectors to reconnect to
   * ("host:port", least loaded first). Unacknowledged pushes are not settled: they stay pending in the store (or, for
   * fan-out, after the client's position) and reach the device wherever it reconnects.
   */
  public List<SessionAction> end(DisconnectReason reason, String text, List<String> redirect) {
    List<SessionAction> out = new ArrayList<>();
    // Before its first frame the client's protocol version is unknown: no DISCONNECT it could read.
    if (version == null) {
      return close(out, null, text);
    }
    if (phase != Phase.CLOSED) {
      phase = Phase.CLOSED;
      out.add(new Close(reason, text, redirect));
    }
    return out;
  }

  /** The connection is gone: every binding leaves (their routes with them); unacked pushes stay pending in the store. */
  public List<SessionAction> closed() {
    List<SessionAction> out = new ArrayList<>();
    phase = Phase.CLOSED;
    for (BindingState binding : List.copyOf(bindings.values())) {
      drop(out, binding);
    }
    return out;
  }

  // ------------------------------------------------------------------ the delivery pump

  /**
   * Writes what the window and the socket allow, then asks the store for more where the queue has run dry: a pending
   * page, a fan-out page, a route not written yet.
   */
  private List<SessionAction> pump(List<SessionAction> out) {
    if (phase != Phase.OPEN) {
      return out;
    }
    long now = clock.millis();
    List<Delivery> expired = new ArrayList<>();
    boolean legacy = version.isLegacy();
    while (writable && !queue.isEmpty() && (legacy || inFlight.size() < settings.maxInFlight())) {
      InFlightDelivery entry = queue.poll();
      queued.remove(entry.key());
      if (!bindings.containsKey(entry.regId())) {
        continue; // it left: a persisted push stays pending for its next connection
      }
      if (entry.isExpired(now)) {
        expired.add(entry.content());
      } else if (legacy) {
        out.add(new SendPush(entry.content(), entry.regId(), 1, 0, 0, true));
      } else if (inFlight.add(entry)) {
        write(out, entry, entry.attempt(), now);
      }
    }
    if (!expired.isEmpty()) {
      out.add(new Expired(expired));
    }
    if (now < retryAtMs) {
      return out;
    }
    int room = legacy ? settings.maxInFlight() : settings.maxInFlight() - inFlight.size();
    boolean idle = queue.isEmpty() && room > 0;
    for (BindingState binding : bindings.values()) {
      if (!binding.bound) {
        if (!binding.binding) {
          binding.binding = true;
          out.add(new Bind(binding.appId, binding.regId, binding.platform, routeTtl()));
        }
        continue;
      }
      if (!idle) {
        continue;
      }
      if (binding.pendingMore && !binding.readingPending) {
        binding.pendingMore = false;
        binding.readingPending = true;
        binding.pendingReadAtMs = now;
        out.add(new ReadPending(binding.appId, binding.regId, room, skipOf(binding.regId)));
      }
      // After the pending set: what waited for the device longest comes first.
      if (!binding.readingPending && !binding.pendingMore) {
        for (ChannelState channel : binding.channels.values()) {
          if (channel.catchingUp && !channel.reading) {
            channel.reading = true;
            out.add(
                new ReadFanout(
                    binding.appId, binding.regId, binding.platform, channel.channel, channel.position(), room));
          }
        }
      }
    }
    return out;
  }

  private void write(List<SessionAction> out, InFlightDelivery entry, int attempt, long now) {
    entry.written(attempt, now + settings.redelivery().delayMs(attempt));
    out.add(
        new SendPush(
            entry.content(), entry.regId(), attempt, entry.fanoutOffset(), entry.fanoutPrevOffset(), false));
  }

  private Set<String> skipOf(String regId) {
    Set<String> skip = new HashSet<>();
    for (InFlightDelivery entry : inFlight.all()) {
      if (entry.regId().equals(regId)) {
        skip.add(entry.msgId());
      }
    }
    for (InFlightDelivery.Key key : queued) {
      if (key.regId().equals(regId)) {
        skip.add(key.msgId());
      }
    }
    for (InFlightDelivery.Key key : settling) {
      if (key.regId().equals(regId)) {
        skip.add(key.msgId());
      }
    }
    return skip;
  }

  // ------------------------------------------------------------------ helpers

  private void drop(List<SessionAction> out, BindingState binding) {
    if (binding.appChannel() != null) {
      out.add(new SavePosition(binding.appId, binding.regId, ackedPosition(binding, binding.appChannel())));
    }
    bindings.remove(binding.regId);
    inFlight.removeBinding(binding.regId);
    queue.removeIf(entry -> entry.regId().equals(binding.regId));
    queued.removeIf(key -> key.regId().equals(binding.regId));
    out.add(new Unbind(binding.appId, binding.regId));
  }

  /**
   * Where the binding stands counting only what the device acknowledged: pushes are written in offset order, so
   * everything before the oldest unacknowledged fan-out push (its previous offset) was acked or not for the device.
   */
  private FanoutPosition ackedPosition(BindingState binding, ChannelState channel) {
    long acked = channel.position;
    for (InFlightDelivery entry : inFlight.all()) {
      if (entry.regId().equals(binding.regId) && entry.isFrom(channel.channel)) {
        acked = Math.min(acked, entry.fanoutPrevOffset());
      }
    }
    for (InFlightDelivery entry : queue) {
      if (entry.regId().equals(binding.regId) && entry.isFrom(channel.channel)) {
        acked = Math.min(acked, entry.fanoutPrevOffset());
      }
    }
    return new FanoutPosition(acked, channel.epoch);
  }

  /**
   * The app's log changed epoch under a live session (Redis lost it): the binding cannot tell what it missed, so the
   * connection is closed and the client's next CONNECT is answered with {@code recovered = false}.
   */
  private List<SessionAction> logReset(List<SessionAction> out, BindingState binding) {
    return close(out, DisconnectReason.SERVER_UNAVAILABLE, "a fan-out log of " + binding.appId + " was reset, reconnect");
  }

  private void storeAnswered() {
    unavailableSinceMs = 0;
    retryAtMs = 0;
  }

  private List<SessionAction> storeFailed(List<SessionAction> out) {
    long now = clock.millis();
    if (unavailableSinceMs == 0) {
      unavailableSinceMs = now;
    }
    retryAtMs = now + settings.storeRetryDelay().toMillis();
    return out;
  }

  private boolean beforeAccept(List<SessionAction> out) {
    if (phase == Phase.OPEN) {
      return false;
    }
    if (phase == Phase.NEW) {
      protocolError(out, "first frame must be CONNECT (v3) or SUB (v1/v2)");
    } else if (phase == Phase.AUTHENTICATING && ++framesBeforeAccept > MAX_FRAMES_BEFORE_ACCEPT) {
      protocolError(out, "more than " + MAX_FRAMES_BEFORE_ACCEPT + " frames before the handshake completed");
    }
    return true;
  }

  private void read() {
    lastReadAtMs = clock.millis();
  }

  private Duration routeTtl() {
    return Duration.ofMillis(idleTimeoutMs).plus(settings.routeTtlMargin());
  }

  private List<SessionAction> refuse(
      List<SessionAction> out, int messageId, ConnectResult result, List<BindingResult> results, String reason) {
    out.add(new SendFrame(connectAck(messageId, result, results, 0, reason)));
    return close(out, null, "refused: " + result + " (" + reason + ")");
  }

  private List<SessionAction> protocolError(List<SessionAction> out, String what) {
    return close(out, DisconnectReason.PROTOCOL_ERROR, what);
  }

  private List<SessionAction> close(List<SessionAction> out, DisconnectReason reason, String text) {
    if (phase != Phase.CLOSED) {
      phase = Phase.CLOSED;
      out.add(new Close(reason, text));
    }
    return out;
  }

  private Frame connectAck(
      int messageId, ConnectResult result, List<BindingResult> results, long intervalMs, String reason) {
    ConnectAck ack =
        ConnectAck.newBuilder()
            .setResult(result.code())
            .setServerTimeMs(clock.millis())
            .addAllBindings(results)
            .setHeartbeatIntervalMs((int) intervalMs)
            .setNodeId(nodeId)
            .setReason(reason)
            .build();
    return Frame.v3(Signal.CONNECT_ACK, result.code(), messageId, ack);
  }

  private static boolean sameApp(String requested, String bound) {
    return requested == null || requested.isEmpty() || requested.equals(bound);
  }

  @Override
  public String toString() {
    return "DeviceSession{" + (version == null ? "?" : "v" + version.code()) + " " + bindings.keySet() + "}";
  }
}
