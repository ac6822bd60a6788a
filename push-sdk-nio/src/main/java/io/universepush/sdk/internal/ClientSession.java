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
import io.universepush.protocol.proto.Ping;
import io.universepush.protocol.proto.Pong;
import io.universepush.protocol.proto.Push;
import io.universepush.sdk.DedupStore;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The protocol logic of one version-3 connection, without sockets or threads: CONNECT and its answer, heartbeats and
 * their deadline, pushes with de-duplication and acknowledgement, the server's DISCONNECT. A transport feeds it frames
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
    final String appId;
    final String regId;
    final String token;
    final String platform;
    final String clientVersion;
    final long heartbeatIntervalMs;
    final long pongTimeoutMs;

    public Settings(
        String appId,
        String regId,
        String token,
        String platform,
        String clientVersion,
        long heartbeatIntervalMs,
        long pongTimeoutMs) {
      this.appId = appId;
      this.regId = regId;
      this.token = token;
      this.platform = platform;
      this.clientVersion = clientVersion;
      this.heartbeatIntervalMs = heartbeatIntervalMs;
      this.pongTimeoutMs = pongTimeoutMs;
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
  private final PushListener listener;
  private final Transport transport;
  private Phase phase = Phase.NEW;
  private int lastMessageId;
  private long heartbeatIntervalMs;
  private long nextPingAt = Long.MAX_VALUE;
  private long pongDeadline = Long.MAX_VALUE;

  /** {@code listener} must not throw (wrap it in {@link SafeListener}). */
  public ClientSession(Settings settings, DedupStore dedup, PushListener listener, Transport transport) {
    this.settings = settings;
    this.dedup = dedup;
    this.listener = listener;
    this.transport = transport;
    this.heartbeatIntervalMs = settings.heartbeatIntervalMs;
  }

  /** The socket is connected: send CONNECT. */
  public void start() {
    if (phase != Phase.NEW) {
      throw new IllegalStateException("already started");
    }
    phase = Phase.AWAITING_ACK;
    Connect connect =
        Connect.newBuilder()
            .addBindings(
                Binding.newBuilder()
                    .setAppId(settings.appId)
                    .setRegId(settings.regId)
                    .setToken(settings.token))
            .setHeartbeatIntervalMs((int) Math.min(Integer.MAX_VALUE, settings.heartbeatIntervalMs))
            .setPlatform(settings.platform)
            .setClientVersion(settings.clientVersion)
            .build();
    transport.send(Frame.v3(Signal.CONNECT, 0, nextMessageId(), connect));
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
    if (phase == Phase.AWAITING_ACK || phase == Phase.CONNECTED) {
      sendDisconnect(DisconnectReason.NORMAL, "client closed");
    }
    phase = Phase.ENDED;
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
    transport.accepted(ack.getNodeId());
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
    PushMessage message =
        new PushMessage(
            msgId,
            push.getAppId(),
            push.getRegId(),
            push.getPayload().toByteArray(),
            push.getTitle(),
            push.getAlert(),
            push.getExtrasMap(),
            push.getExpiresAtMs(),
            push.getSentAtMs(),
            push.getAttempt());
    if (msgId.isEmpty() || firstSeen(msgId)) {
      listener.onMessage(message);
    }
    if (!msgId.isEmpty() && phase == Phase.CONNECTED) {
      // Acknowledge duplicates too: the server resends until it has an ack.
      transport.send(Frame.v3(Signal.PUB_ACK, 0, nextMessageId(), Ack.newBuilder().addMsgIds(msgId).build()));
    }
  }

  private boolean firstSeen(String msgId) {
    try {
      return dedup.firstSeen(msgId);
    } catch (RuntimeException e) {
      // Better a possible duplicate than a lost push.
      LOG.log(Level.WARNING, "DedupStore failed for " + msgId, e);
      return true;
    }
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
    phase = Phase.ENDED;
    transport.failed(reason, persistent, redirect == null ? Collections.<String>emptyList() : redirect);
  }

  private int nextMessageId() {
    lastMessageId = lastMessageId == Frame.MAX_MESSAGE_ID ? 1 : lastMessageId + 1;
    return lastMessageId;
  }
}
