package io.universepush.connector.auth;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.universepush.connector.node.LocalNode;
import io.universepush.connector.session.Heartbeats;
import io.universepush.connector.session.Session;
import io.universepush.connector.session.SessionBindings;
import io.universepush.connector.system.BlockingTasks;
import io.universepush.connector.system.ConnectorProperties;
import io.universepush.connector.wire.ProtocolViolations;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.ProtocolException;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.legacy.LegacyBodies;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.rpc.subscribe.LegacySubscription;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns a CONNECT (v3) or SUB (v1/v2) into a session. Credentials are checked by push-subscribe on the blocking
 * pool; the answer and the session's creation happen back on the connection's event loop.
 */
@Component
public class Handshake {
  /** The reserved app of universe_push devices, should push-subscribe not name it. */
  public static final String LEGACY_APP_ID = "legacy";
  /** universe_push's SUB answer when the subscription could not be made. */
  static final int LEGACY_STATUS_UNAVAILABLE = 503;

  private static final Logger log = LoggerFactory.getLogger(Handshake.class);

  private final DeviceAuthenticator authenticator;
  private final BlockingTasks blocking;
  private final SessionBindings bindings;
  private final Heartbeats heartbeats;
  private final LocalNode node;
  private final ProtocolViolations violations;
  private final int maxBindings;
  private final int maxInFlight;

  public Handshake(
      DeviceAuthenticator authenticator,
      BlockingTasks blocking,
      SessionBindings bindings,
      Heartbeats heartbeats,
      LocalNode node,
      ProtocolViolations violations,
      ConnectorProperties properties) {
    this.authenticator = authenticator;
    this.blocking = blocking;
    this.bindings = bindings;
    this.heartbeats = heartbeats;
    this.node = node;
    this.violations = violations;
    this.maxBindings = properties.maxBindingsPerConnection();
    this.maxInFlight = properties.maxInFlightPerSession();
  }

  /**
   * Event loop. A version-3 CONNECT: each binding is authenticated; the connection is accepted when at least one
   * is. {@code onAccepted} runs on the event loop once the session exists and CONNECT_ACK is written.
   */
  public void connect(Channel channel, Frame frame, Runnable onAccepted) {
    Connect connect;
    try {
      connect = Connect.parseFrom(FrameEncoder.bodyOf(frame));
    } catch (InvalidProtocolBufferException e) {
      violations.reject(channel, ProtocolVersion.V3, ProtocolError.MALFORMED_BODY, "CONNECT body: " + e.getMessage());
      return;
    }
    List<Binding> requested = connect.getBindingsList();
    if (requested.isEmpty()) {
      refuse(channel, frame, ConnectResult.IDENTIFIER_REJECTED, List.of(), "CONNECT carries no binding");
      return;
    }
    if (requested.size() > maxBindings) {
      refuse(
          channel,
          frame,
          ConnectResult.IDENTIFIER_REJECTED,
          List.of(),
          requested.size() + " bindings, at most " + maxBindings + " per connection");
      return;
    }
    boolean queued =
        blocking.submit(
            "authentication for " + channel.remoteAddress(),
            () -> {
              List<AuthenticatedBinding> results = authenticator.authenticate(requested);
              channel.eventLoop().execute(() -> finishConnect(channel, frame, connect, results, onAccepted));
            });
    if (!queued) {
      refuse(channel, frame, ConnectResult.SERVER_UNAVAILABLE, List.of(), "server busy, retry later");
    }
  }

  private void finishConnect(
      Channel channel, Frame frame, Connect connect, List<AuthenticatedBinding> checked, Runnable onAccepted) {
    if (!channel.isActive()) {
      return;
    }
    List<BindingResult> results = checked.stream().map(AuthenticatedBinding::result).toList();
    ConnectResult overall = ConnectDecision.overall(results);
    if (overall != ConnectResult.ACCEPTED) {
      refuse(channel, frame, overall, results, "no binding accepted");
      return;
    }
    Session session = new Session(channel, ProtocolVersion.V3, maxInFlight);
    channel.attr(Session.KEY).set(session);
    long interval = heartbeats.applyV3(session, connect.getHeartbeatIntervalMs());
    // Written before any binding exists, so CONNECT_ACK precedes every PUSH.
    channel.writeAndFlush(connectAck(frame, ConnectResult.ACCEPTED, results, interval, ""));
    for (AuthenticatedBinding binding : checked) {
      BindingResult result = binding.result();
      if (result.getResult() == ConnectResult.ACCEPTED.code()) {
        bindings.bind(
            session, result.getAppId(), result.getRegId(), binding.platform(), binding.fanoutCursor());
      }
    }
    log.debug("{} connected: {}", channel.remoteAddress(), session);
    onAccepted.run();
  }

  private void refuse(
      Channel channel, Frame frame, ConnectResult result, List<BindingResult> results, String reason) {
    log.debug("{} refused: {} ({})", channel.remoteAddress(), result, reason);
    channel.config().setAutoRead(false);
    channel.writeAndFlush(connectAck(frame, result, results, 0, reason)).addListener(ChannelFutureListener.CLOSE);
  }

  private Frame connectAck(
      Frame request, ConnectResult result, List<BindingResult> results, long intervalMs, String reason) {
    ConnectAck ack =
        ConnectAck.newBuilder()
            .setResult(result.code())
            .setServerTimeMs(System.currentTimeMillis())
            .addAllBindings(results)
            .setHeartbeatIntervalMs((int) intervalMs)
            .setNodeId(node.isStarted() ? node.nodeId() : "")
            .setReason(reason)
            .build();
    return Frame.v3(Signal.CONNECT_ACK, result.code(), request.messageId(), ack);
  }

  /**
   * Event loop. universe_push's SUB, the first of a connection or a later one (which adds a binding). Answered with
   * {@code {"status":200,"token":..}} in the request's version and message id.
   */
  public void subscribeLegacy(Channel channel, Frame frame, Runnable onAccepted) {
    String uid;
    try {
      uid = LegacyBodies.parseSubUid(frame);
    } catch (ProtocolException e) {
      violations.reject(channel, frame.version(), e);
      return;
    }
    boolean queued =
        blocking.submit(
            "legacy subscription for " + channel.remoteAddress(),
            () -> {
              LegacySubscription subscription = authenticator.subscribeLegacy(uid);
              channel.eventLoop().execute(() -> finishLegacy(channel, frame, subscription, onAccepted));
            });
    if (!queued) {
      finishLegacy(channel, frame, null, onAccepted);
    }
  }

  private void finishLegacy(Channel channel, Frame frame, LegacySubscription subscription, Runnable onAccepted) {
    if (!channel.isActive()) {
      return;
    }
    if (subscription == null || subscription.getRegId() == null) {
      channel.config().setAutoRead(false);
      channel
          .writeAndFlush(
              LegacyBodies.subResponse(frame.version(), frame.messageId(), LEGACY_STATUS_UNAVAILABLE, null))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    Session session = Session.of(channel);
    if (session == null) {
      session = new Session(channel, frame.version(), maxInFlight);
      channel.attr(Session.KEY).set(session);
      heartbeats.applyLegacy(session, -1);
    }
    String appId =
        subscription.getAppId() == null || subscription.getAppId().isBlank()
            ? LEGACY_APP_ID
            : subscription.getAppId();
    channel.writeAndFlush(
        LegacyBodies.subResponse(frame.version(), frame.messageId(), 200, subscription.getToken()));
    if (!bindings.bind(session, appId, subscription.getRegId())) {
      log.info("{}: SUB beyond {} bindings ignored", channel.remoteAddress(), maxBindings);
    }
    onAccepted.run();
  }
}
