package io.universepush.connector.tcp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.universepush.connector.auth.Handshake;
import io.universepush.connector.delivery.DeliveryWriter;
import io.universepush.connector.delivery.PendingFlusher;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.session.Heartbeats;
import io.universepush.connector.session.Session;
import io.universepush.connector.session.SessionBindings;
import io.universepush.connector.wire.Disconnects;
import io.universepush.connector.wire.ProtocolViolations;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.Signal;
import io.universepush.protocol.legacy.LegacyBodies;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Ping;
import io.universepush.protocol.proto.Pong;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An authenticated connection's frames: heartbeats (PING), delivery acks (PUB_ACK), the client leaving (DISCONNECT);
 * also the idle timeout and the end of the connection, which unbinds its devices. CONTACT (legacy chat) and PUBLISH
 * (upstream messages) are not supported yet and are ignored. Per connection.
 */
public final class SessionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
  /** PING answer sub-signal in version 3. */
  static final int PONG = 1;

  private final Handshake handshake;
  private final SessionBindings bindings;
  private final Heartbeats heartbeats;
  private final DeliveryWriter writer;
  private final PendingFlusher flusher;
  private final ProtocolViolations violations;
  private final ConnectorMetrics metrics;

  public SessionHandler(
      Handshake handshake,
      SessionBindings bindings,
      Heartbeats heartbeats,
      DeliveryWriter writer,
      PendingFlusher flusher,
      ProtocolViolations violations,
      ConnectorMetrics metrics) {
    this.handshake = handshake;
    this.bindings = bindings;
    this.heartbeats = heartbeats;
    this.writer = writer;
    this.flusher = flusher;
    this.violations = violations;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Frame frame = (Frame) msg;
    Session session = Session.of(ctx.channel());
    if (session == null) {
      // Only the AuthHandler passes frames on, and only once a session exists.
      log.warn("frame without session from {}: {}", ctx.channel().remoteAddress(), frame);
      ctx.close();
      return;
    }
    if (frame.version().isLegacy() != session.isLegacy()) {
      violations.reject(
          ctx.channel(),
          session.version(),
          ProtocolError.UNEXPECTED_FRAME,
          "version " + frame.version().code() + " frame on a version " + session.version().code() + " connection");
      return;
    }
    try {
      if (session.isLegacy()) {
        legacyFrame(ctx, session, frame);
      } else {
        v3Frame(ctx, session, frame);
      }
    } catch (InvalidProtocolBufferException e) {
      violations.reject(
          ctx.channel(), session.version(), ProtocolError.MALFORMED_BODY, frame.signal() + " body: " + e.getMessage());
    }
  }

  private void v3Frame(ChannelHandlerContext ctx, Session session, Frame frame)
      throws InvalidProtocolBufferException {
    switch (frame.signal()) {
      case PING -> {
        Ping ping = Ping.parseFrom(FrameEncoder.bodyOf(frame));
        long interval =
            ping.getIntervalMs() > 0
                ? heartbeats.applyV3(session, ping.getIntervalMs())
                : session.heartbeatIntervalMs();
        Pong pong =
            Pong.newBuilder().setIntervalMs((int) interval).setServerTimeMs(System.currentTimeMillis()).build();
        ctx.writeAndFlush(Frame.v3(Signal.PING, PONG, frame.messageId(), pong));
        heartbeat(session);
      }
      case PUB_ACK -> {
        Ack ack = Ack.parseFrom(FrameEncoder.bodyOf(frame));
        writer.acknowledge(session, ack.getMsgIdsList(), () -> flushMorePending(session));
      }
      case DISCONNECT -> {
        Disconnect disconnect = Disconnect.parseFrom(FrameEncoder.bodyOf(frame));
        log.debug(
            "{} disconnects: {} {} (clear_session {})",
            session,
            disconnect.getReasonCode(),
            disconnect.getReason(),
            disconnect.getClearSession());
        ctx.channel().config().setAutoRead(false);
        if (disconnect.getClearSession()) {
          // Logout: unbound now, so no delivery lands between this frame and the close.
          bindings.logout(session);
        }
        // Otherwise the routes go with the connection (channelInactive), as on any close.
        ctx.close();
      }
      case CONTACT, PUBLISH -> log.debug("{} not supported yet, ignored from {}", frame.signal(), session);
      default ->
          violations.reject(
              ctx.channel(), session.version(), ProtocolError.UNEXPECTED_FRAME, "unexpected " + frame.signal());
    }
  }

  private void legacyFrame(ChannelHandlerContext ctx, Session session, Frame frame) {
    switch (frame.signal()) {
      case PING -> {
        long interval = heartbeats.applyLegacy(session, LegacyBodies.parsePingInterval(frame));
        ctx.writeAndFlush(LegacyBodies.pingResponse(frame, interval));
        heartbeat(session);
      }
      case SUB -> handshake.subscribeLegacy(ctx.channel(), frame, () -> {});
      case DISCONNECT -> ctx.close();
      // Legacy clients are old and varied: anything else is ignored rather than fatal, as universe_push did.
      default -> log.debug("{} ignored from legacy {}", frame.signal(), session);
    }
  }

  private void heartbeat(Session session) {
    bindings.renew(session);
    flushMorePending(session);
  }

  private void flushMorePending(Session session) {
    for (String regId : session.takeMorePending()) {
      flusher.flushLater(session, regId);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      Session session = Session.of(ctx.channel());
      metrics.idleTimeout();
      log.debug("{} idle, closing", ctx.channel().remoteAddress());
      if (session == null) {
        ctx.close();
      } else {
        Disconnects.close(ctx.channel(), session.version(), DisconnectReason.IDLE_TIMEOUT, "no heartbeat");
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Session session = Session.of(ctx.channel());
    if (session != null) {
      session.redeliveryTimer(null, 0);
      bindings.unbindAll(session);
      log.debug("{} closed", session);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      // Resets and broken pipes: the device went away, which is routine for mobile clients.
      log.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("closing {} after an unexpected error", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
