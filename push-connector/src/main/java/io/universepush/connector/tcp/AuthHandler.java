package io.universepush.connector.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.universepush.connector.auth.Handshake;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.wire.ProtocolViolations;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards a new connection until it has a session: the first frame must be CONNECT (v3) or SUB (v1/v2) and arrive
 * within the auth timeout. Frames the client sends while its credentials are being checked are held and passed on
 * in order once the session exists; then this handler removes itself. Per connection.
 */
public final class AuthHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(AuthHandler.class);
  /** Frames a client may send before its CONNECT_ACK (PINGs, early acks); more is a protocol error. */
  private static final int MAX_HELD_FRAMES = 16;

  private final Handshake handshake;
  private final ProtocolViolations violations;
  private final ConnectorMetrics metrics;
  private final long authTimeoutMs;
  private final Queue<Frame> held = new ArrayDeque<>();
  private ScheduledFuture<?> timeout;
  private boolean handshaking;

  public AuthHandler(
      Handshake handshake, ProtocolViolations violations, ConnectorMetrics metrics, long authTimeoutMs) {
    this.handshake = handshake;
    this.violations = violations;
    this.metrics = metrics;
    this.authTimeoutMs = authTimeoutMs;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      startTimer(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    startTimer(ctx);
    ctx.fireChannelActive();
  }

  private void startTimer(ChannelHandlerContext ctx) {
    if (timeout == null) {
      timeout =
          ctx.executor()
              .schedule(
                  () -> {
                    log.debug("{} sent no CONNECT/SUB within {} ms", ctx.channel().remoteAddress(), authTimeoutMs);
                    metrics.authTimeout();
                    ctx.close();
                  },
                  authTimeoutMs,
                  TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Frame frame = (Frame) msg;
    if (handshaking) {
      if (held.size() >= MAX_HELD_FRAMES) {
        violations.reject(
            ctx.channel(),
            frame.version(),
            ProtocolError.UNEXPECTED_FRAME,
            "more than " + MAX_HELD_FRAMES + " frames before the handshake completed");
      } else {
        held.add(frame);
      }
      return;
    }
    boolean connect = frame.version() == ProtocolVersion.V3 && frame.signal() == Signal.CONNECT;
    boolean sub = frame.version().isLegacy() && frame.signal() == Signal.SUB;
    if (!connect && !sub) {
      violations.reject(
          ctx.channel(),
          frame.version(),
          ProtocolError.UNEXPECTED_FRAME,
          "first frame must be CONNECT (v3) or SUB (v1/v2), got v" + frame.version().code() + " " + frame.signal());
      return;
    }
    handshaking = true;
    cancelTimer();
    Runnable onAccepted = () -> sessionStarted(ctx);
    if (connect) {
      handshake.connect(ctx.channel(), frame, onAccepted);
    } else {
      handshake.subscribeLegacy(ctx.channel(), frame, onAccepted);
    }
  }

  private void sessionStarted(ChannelHandlerContext ctx) {
    Frame frame;
    while ((frame = held.poll()) != null) {
      ctx.fireChannelRead(frame);
    }
    ctx.pipeline().remove(this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimer();
    held.clear();
    ctx.fireChannelInactive();
  }

  private void cancelTimer() {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }
}
