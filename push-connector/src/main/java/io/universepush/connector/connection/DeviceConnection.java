package io.universepush.connector.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.universepush.connector.session.DeviceSession;
import io.universepush.connector.session.SessionAction;
import io.universepush.connector.session.SessionAction.Close;
import io.universepush.connector.session.SessionAction.SendFrame;
import io.universepush.connector.session.SessionAction.SendPush;
import io.universepush.connector.session.SessionAction.Settle;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.wire.Disconnects;
import io.universepush.connector.wire.ProtocolViolations;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.ProtocolVersion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device connection: its channel and its {@link DeviceSession}. Every command reaches the session on the
 * channel's event loop ({@link #execute}), whatever thread sends it (a frame, a Dubbo delivery, a store answer); the
 * actions it returns are carried out there: frames written and flushed once, the connection closed, cluster work
 * handed to {@link SessionEffects}. One timer per connection, armed for the session's next deadline.
 */
public final class DeviceConnection {
  private static final Logger log = LoggerFactory.getLogger(DeviceConnection.class);

  private final Channel channel;
  private final DeviceSession session;
  private final SessionEffects effects;
  private final Clock clock;
  private final ProtocolViolations violations;
  private final ConnectorMetrics metrics;
  private ScheduledFuture<?> timer;
  private long timerAtMs = Long.MAX_VALUE;
  /** While the channel delivers a batch of reads: acks are settled once for the batch, at its end. */
  private boolean reading;
  private final List<SessionAction.Receipt> unsettled = new ArrayList<>();

  DeviceConnection(
      Channel channel,
      DeviceSession session,
      SessionEffects effects,
      Clock clock,
      ProtocolViolations violations,
      ConnectorMetrics metrics) {
    this.channel = channel;
    this.session = session;
    this.effects = effects;
    this.clock = clock;
    this.violations = violations;
    this.metrics = metrics;
  }

  public Channel channel() {
    return channel;
  }

  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  /** The connection's protocol version; null before its CONNECT or SUB. Event loop only. */
  public ProtocolVersion version() {
    return session.version();
  }

  /** Event loop only. */
  DeviceSession session() {
    return session;
  }

  public boolean isActive() {
    return channel.isActive();
  }

  /** Any thread: runs the command on the connection's event loop and carries out its actions. */
  public void execute(Function<DeviceSession, List<SessionAction>> command) {
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      run(command);
      return;
    }
    try {
      loop.execute(() -> run(command));
    } catch (RejectedExecutionException e) {
      // The event loop is shutting down with the node: what was offered stays pending in the store.
      log.debug("{}: command dropped, event loop shut down", channel.remoteAddress());
    }
  }

  /** Event loop only. */
  void run(Function<DeviceSession, List<SessionAction>> command) {
    apply(command.apply(session));
  }

  private void apply(List<SessionAction> actions) {
    boolean wrote = false;
    for (SessionAction action : actions) {
      if (action instanceof SendFrame send) {
        channel.write(send.frame());
        wrote = true;
      } else if (action instanceof SendPush push) {
        effects.write(this, push);
        wrote = true;
      } else if (action instanceof Settle settle) {
        unsettled.addAll(settle.receipts());
      } else if (action instanceof SessionAction.AuthTimedOut) {
        metrics.authTimeout();
      } else if (action instanceof Close close) {
        if (wrote) {
          channel.flush();
          wrote = false;
        }
        close(close);
      } else {
        effects.run(this, action);
      }
    }
    if (wrote) {
      channel.flush();
    }
    if (!reading) {
      settle();
    }
    arm();
  }

  /**
   * Event loop: the channel hands over a frame. The batch it belongs to ends with channelReadComplete or, for frames a
   * transport adapter makes up outside a read (MQTT's heartbeat on the client's behalf), with this loop iteration.
   */
  void readStarted() {
    if (!reading) {
      reading = true;
      channel.eventLoop().execute(this::readCompleted);
    }
  }

  /** Event loop: the batch of reads is over: its acks go to the store in one call. */
  void readCompleted() {
    reading = false;
    settle();
  }

  private void settle() {
    if (!unsettled.isEmpty()) {
      List<SessionAction.Receipt> receipts = List.copyOf(unsettled);
      unsettled.clear();
      effects.run(this, new Settle(receipts));
    }
  }

  private void close(Close close) {
    cancelTimer();
    if (close.reason() == null) {
      log.debug("closing {}: {}", channel.remoteAddress(), close.text());
      channel.config().setAutoRead(false);
      // After what was written before (a refusing CONNECT_ACK, a legacy SUB answer).
      channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ProtocolVersion version = session.version() == null ? ProtocolVersion.V3 : session.version();
    if (close.reason() == DisconnectReason.PROTOCOL_ERROR) {
      violations.reject(channel, version, ProtocolError.UNEXPECTED_FRAME, close.text());
      return;
    }
    log.debug("closing {}: {} {}", channel.remoteAddress(), close.reason(), close.text());
    if (close.reason() == DisconnectReason.IDLE_TIMEOUT) {
      metrics.idleTimeout();
    }
    Disconnects.close(channel, version, close.reason(), close.text(), close.redirect());
  }

  private void arm() {
    long next = session.nextTimerAt();
    if (next == Long.MAX_VALUE || session.isClosed()) {
      cancelTimer();
      return;
    }
    if (timer != null && timerAtMs <= next) {
      return; // fires earlier; it re-arms for the later deadline then
    }
    cancelTimer();
    long delay = Math.max(0, next - clock.millis());
    timerAtMs = next;
    timer = channel.eventLoop().schedule(this::fire, delay, TimeUnit.MILLISECONDS);
  }

  private void fire() {
    timer = null;
    timerAtMs = Long.MAX_VALUE;
    if (session.nextTimerAt() <= clock.millis()) {
      run(DeviceSession::timer);
    } else {
      arm();
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
      timerAtMs = Long.MAX_VALUE;
    }
  }

  /** Event loop: the channel closed. */
  void closed() {
    cancelTimer();
    reading = false;
    apply(session.closed());
  }

  @Override
  public String toString() {
    return channel.remoteAddress() + " " + session;
  }
}
