package io.universepush.connector.connection;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.universepush.connector.wire.ProtocolViolations;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.ProtocolException;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.legacy.LegacyBodies;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Ping;
import io.universepush.protocol.proto.Publish;
import io.universepush.connector.session.UpstreamMessage;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every device pipeline (TCP, TLS, WebSocket, MQTT behind their adapters): decoded frames become
 * {@link io.universepush.connector.session.DeviceSession} commands, and the channel's life (writability, the end)
 * reaches the session too. It translates only: what a frame means is the session's. A body that does not parse closes
 * the connection with PROTOCOL_ERROR. Per connection.
 */
public final class SessionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

  /** A legacy CONTACT names its recipient by token: push-group resolves {@code token:<token>} to the device. */
  static final String LEGACY_TOKEN_PREFIX = "token:";
  /** universe_push's chat messages waited a day for an offline recipient. */
  static final long LEGACY_CHAT_TTL_SECONDS = 86_400;

  private final DeviceConnections connections;
  private final ProtocolViolations violations;
  private DeviceConnection connection;

  public SessionHandler(DeviceConnections connections, ProtocolViolations violations) {
    this.connections = connections;
    this.violations = violations;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    connection = connections.open(ctx.channel());
    if (ctx.channel().isActive()) {
      connection.run(session -> java.util.List.of());
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // Arms the auth timeout.
    connection.run(session -> java.util.List.of());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    connection.readStarted();
    Frame frame = (Frame) msg;
    ProtocolVersion version = connection.version();
    if (version != null && frame.version().isLegacy() != version.isLegacy()) {
      violations.reject(
          ctx.channel(),
          version,
          ProtocolError.UNEXPECTED_FRAME,
          "version " + frame.version().code() + " frame on a version " + version.code() + " connection");
      return;
    }
    try {
      if (frame.version().isLegacy()) {
        legacyFrame(frame);
      } else {
        v3Frame(frame);
      }
    } catch (InvalidProtocolBufferException e) {
      violations.reject(
          ctx.channel(), frame.version(), ProtocolError.MALFORMED_BODY, frame.signal() + " body: " + e.getMessage());
    } catch (ProtocolException e) {
      violations.reject(ctx.channel(), frame.version(), e);
    }
  }

  private void v3Frame(Frame frame) throws InvalidProtocolBufferException {
    switch (frame.signal()) {
      case CONNECT -> {
        Connect connect = Connect.parseFrom(FrameEncoder.bodyOf(frame));
        connection.run(
            session ->
                session.connect(
                    frame.messageId(),
                    connect.getBindingsList(),
                    connect.getHeartbeatIntervalMs(),
                    connect.getPlatform()));
      }
      case PING -> {
        Ping ping = Ping.parseFrom(FrameEncoder.bodyOf(frame));
        connection.run(session -> session.ping(frame.messageId(), ping.getIntervalMs()));
      }
      case PUB_ACK -> {
        Ack ack = Ack.parseFrom(FrameEncoder.bodyOf(frame));
        connection.run(session -> session.ack(ack.getRegId(), ack.getMsgIdsList()));
      }
      case DISCONNECT -> {
        Disconnect disconnect = Disconnect.parseFrom(FrameEncoder.bodyOf(frame));
        log.debug(
            "{} disconnects: {} {} (clear_session {})",
            connection,
            disconnect.getReasonCode(),
            disconnect.getReason(),
            disconnect.getClearSession());
        connection.run(session -> session.disconnect(disconnect.getClearSession()));
      }
      case PUBLISH -> {
        Publish publish = Publish.parseFrom(FrameEncoder.bodyOf(frame));
        UpstreamMessage.Kind kind = UpstreamMessage.Kind.of(frame.subSignal());
        if (kind == null) {
          connection.run(session -> session.unexpected("PUBLISH sub-signal " + frame.subSignal() + " is not 1..4"));
          return;
        }
        String target = kind == UpstreamMessage.Kind.SINGLE ? publish.getTo() : publish.getGroupId();
        UpstreamMessage message =
            new UpstreamMessage(
                kind, publish.getRegId(), target, publish.getPayload().toByteArray(), publish.getTtlSeconds());
        connection.run(session -> session.publish(frame.messageId(), message));
      }
      case CONTACT -> log.debug("CONTACT is a version-1/2 signal, ignored from {}", connection);
      default -> connection.run(session -> session.unexpected("unexpected " + frame.signal()));
    }
  }

  private void legacyFrame(Frame frame) throws ProtocolException {
    switch (frame.signal()) {
      case CONTACT -> {
        // universe_push's chat: type 0 to every member of the group but the sender, type 1 to one device's token.
        LegacyBodies.ContactMessage contact = LegacyBodies.parseContact(frame);
        boolean group = contact.type() == LegacyBodies.ContactMessage.TYPE_GROUP;
        UpstreamMessage message =
            new UpstreamMessage(
                group ? UpstreamMessage.Kind.GROUP : UpstreamMessage.Kind.SINGLE,
                "",
                group ? contact.group() : LEGACY_TOKEN_PREFIX + contact.to(),
                contact.message().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                LEGACY_CHAT_TTL_SECONDS);
        connection.run(session -> session.publish(frame.messageId(), message));
      }
      case SUB -> {
        String uid = LegacyBodies.parseSubUid(frame);
        connection.run(session -> session.subscribeLegacy(frame, uid));
      }
      case PING -> connection.run(session -> session.legacyPing(frame, LegacyBodies.parsePingInterval(frame)));
      case DISCONNECT -> connection.run(session -> session.disconnect(false));
      default -> {
        if (connection.version() == null) {
          connection.run(
              session ->
                  session.unexpected(
                      "first frame must be CONNECT (v3) or SUB (v1/v2), got v"
                          + frame.version().code()
                          + " "
                          + frame.signal()));
        } else {
          // Legacy clients are old and varied: anything else is ignored rather than fatal, as universe_push did.
          log.debug("{} ignored from legacy {}", frame.signal(), connection);
        }
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    connection.readCompleted();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean writable = ctx.channel().isWritable();
    connection.run(session -> session.writable(writable));
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.closed();
    log.debug("{} closed", connection);
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
