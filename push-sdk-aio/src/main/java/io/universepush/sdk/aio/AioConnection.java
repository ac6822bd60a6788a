package io.universepush.sdk.aio;

import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.ProtocolException;
import io.universepush.sdk.ConnectionState;
import io.universepush.sdk.CursorStore;
import io.universepush.sdk.DedupStore;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.internal.Backoff;
import io.universepush.sdk.internal.ClientSession;
import io.universepush.sdk.internal.EndpointPicker;
import io.universepush.sdk.internal.FrameReader;
import io.universepush.sdk.internal.SafeListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's connection on an {@link AsynchronousSocketChannel}, reconnecting with back-off until closed. The
 * channel's completion handlers run on the JDK's pool; they only hand their result to {@code loop}, a single thread
 * that owns every field here and the {@link ClientSession}, so the protocol logic never sees two threads. Stale
 * completions of an earlier attempt are recognized by {@link #attempt} and dropped.
 */
final class AioConnection implements ClientSession.Transport {
  private static final Logger LOG = Logger.getLogger(AioConnection.class.getName());
  /** How long close() lets the DISCONNECT frame drain. */
  private static final long GOODBYE_FLUSH_MS = 1000;

  private final ClientSession.Settings settings;
  private final DedupStore dedup;
  private final CursorStore cursors;
  private final SafeListener listener;
  private final EndpointPicker endpoints;
  private final Backoff backoff;
  private final long connectTimeoutMs;
  private final int maxFrameLength;
  private final ScheduledExecutorService loop;

  private volatile ConnectionState state = ConnectionState.CONNECTING;

  private int attempt;
  private AsynchronousSocketChannel channel;
  private ClientSession session;
  private FrameReader reader;
  private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<ByteBuffer>();
  private boolean writing;
  private long connectDeadline;
  private ScheduledFuture<?> timer;
  private long timerAt = Long.MAX_VALUE;
  private String failure;
  private boolean failurePersistent;
  private List<String> failureRedirect;
  private boolean stopping;
  private String stopReason;

  AioConnection(
      ClientSession.Settings settings,
      DedupStore dedup,
      CursorStore cursors,
      PushListener listener,
      EndpointPicker endpoints,
      Backoff backoff,
      long connectTimeoutMs,
      int maxFrameLength,
      ScheduledExecutorService loop) {
    this.settings = settings;
    this.dedup = dedup;
    this.cursors = cursors;
    this.listener = new SafeListener(listener);
    this.endpoints = endpoints;
    this.backoff = backoff;
    this.connectTimeoutMs = connectTimeoutMs;
    this.maxFrameLength = maxFrameLength;
    this.loop = loop;
  }

  ConnectionState state() {
    return state;
  }

  void start() {
    loop.execute(this::startAttempt);
  }

  /** Says goodbye (with clear_session for a logout), closes and ends the loop; returns at once. */
  void stop(final boolean clearSession) {
    loop.execute(() -> shutdown(clearSession));
  }

  private void startAttempt() {
    if (stopping) {
      return;
    }
    attempt++;
    state = ConnectionState.CONNECTING;
    listener.onConnecting();
    InetSocketAddress target;
    try {
      InetSocketAddress chosen = endpoints.next();
      target = new InetSocketAddress(chosen.getHostString(), chosen.getPort());
      if (target.isUnresolved()) {
        throw new IOException("cannot resolve " + chosen.getHostString());
      }
    } catch (IOException e) {
      failed("no connector: " + describe(e), false, null);
      settle();
      return;
    }
    reader = new FrameReader(maxFrameLength);
    session = new ClientSession(settings, dedup, cursors, listener, this);
    connectDeadline = now() + connectTimeoutMs;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      failed("cannot open a socket: " + describe(e), false, null);
      settle();
      return;
    }
    final int current = attempt;
    channel.connect(
        target,
        null,
        new CompletionHandler<Void, Void>() {
          @Override
          public void completed(Void result, Void nothing) {
            onLoop(current, () -> {
              session.start();
              read();
            });
          }

          @Override
          public void failed(Throwable e, Void nothing) {
            onLoop(current, () -> AioConnection.this.failed("connect failed: " + describe(e), false, null));
          }
        });
    scheduleTimer();
  }

  /** Runs {@code step} on the loop if it still belongs to the current attempt, then acts on what it decided. */
  private void onLoop(final int forAttempt, final Runnable step) {
    try {
      loop.execute(
          () -> {
            if (forAttempt != attempt || channel == null) {
              return;
            }
            step.run();
            settle();
            scheduleTimer();
          });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // The client is closed; nothing to do with a late completion.
    }
  }

  private void read() {
    final int current = attempt;
    channel.read(
        reader.readBuffer(),
        null,
        new CompletionHandler<Integer, Void>() {
          @Override
          public void completed(final Integer n, Void nothing) {
            onLoop(current, () -> onRead(n));
          }

          @Override
          public void failed(Throwable e, Void nothing) {
            onLoop(current, () -> AioConnection.this.failed("read failed: " + describe(e), false, null));
          }
        });
  }

  private void onRead(int n) {
    try {
      Frame frame;
      while (failure == null && session != null && (frame = reader.next()) != null) {
        session.onFrame(frame, now());
      }
      if (n < 0 && failure == null) {
        reader.endOfStream();
        failed("connection closed by server", false, null);
      }
    } catch (ProtocolException e) {
      session.protocolError(e);
    }
    if (failure == null && n >= 0 && !stopping) {
      read();
    }
  }

  @Override
  public void send(Frame frame) {
    if (channel == null || failure != null) {
      return;
    }
    outbound.add(ByteBuffer.wrap(FrameEncoder.encode(frame)));
    writeNext();
  }

  private void writeNext() {
    if (writing || outbound.isEmpty()) {
      return;
    }
    writing = true;
    final int current = attempt;
    channel.write(
        outbound.peek(),
        null,
        new CompletionHandler<Integer, Void>() {
          @Override
          public void completed(Integer n, Void nothing) {
            onLoop(current, () -> {
              writing = false;
              if (!outbound.peek().hasRemaining()) {
                outbound.poll();
              }
              writeNext();
              if (stopping && outbound.isEmpty()) {
                finish();
              }
            });
          }

          @Override
          public void failed(Throwable e, Void nothing) {
            onLoop(current, () -> {
              writing = false;
              AioConnection.this.failed("write failed: " + describe(e), false, null);
              if (stopping) {
                finish();
              }
            });
          }
        });
  }

  @Override
  public void accepted(String nodeId) {
    state = ConnectionState.CONNECTED;
    backoff.reset();
    listener.onConnected(nodeId);
  }

  @Override
  public void failed(String reason, boolean persistent, List<String> redirect) {
    if (failure == null) {
      failure = reason;
      failurePersistent = persistent;
      failureRedirect = redirect;
    }
  }

  /** Acts on a failure reported during the last step: close, schedule the next attempt, tell the app. */
  private void settle() {
    if (failure == null || stopping) {
      return;
    }
    String reason = failure;
    failure = null;
    closeChannel();
    if (failureRedirect != null && !failureRedirect.isEmpty()) {
      endpoints.redirect(failureRedirect);
    }
    long delay = failurePersistent ? backoff.maxDelayMs() : backoff.nextDelayMs();
    state = ConnectionState.WAITING_TO_RECONNECT;
    listener.onDisconnected(reason);
    cancelTimer();
    loop.schedule(this::startAttempt, delay, TimeUnit.MILLISECONDS);
  }

  /** Keeps one timer armed for the session's next heartbeat or deadline, or the connect timeout. */
  private void scheduleTimer() {
    if (channel == null || session == null || stopping) {
      return;
    }
    long at = session.isConnected() ? session.nextTimerAt() : Math.min(session.nextTimerAt(), connectDeadline);
    if (at == timerAt && timer != null) {
      return;
    }
    cancelTimer();
    if (at == Long.MAX_VALUE) {
      return;
    }
    timerAt = at;
    final int current = attempt;
    timer =
        loop.schedule(
            () -> {
              if (current != attempt || channel == null) {
                return;
              }
              timer = null;
              timerAt = Long.MAX_VALUE;
              long now = now();
              if (!session.isConnected() && now >= connectDeadline) {
                failed("connect timeout: no CONNECT_ACK within " + connectTimeoutMs + " ms", false, null);
              } else {
                session.onTimer(now);
              }
              settle();
              scheduleTimer();
            },
            Math.max(0, at - now()),
            TimeUnit.MILLISECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    timerAt = Long.MAX_VALUE;
  }

  private void shutdown(boolean clearSession) {
    if (stopping) {
      return;
    }
    stopping = true;
    stopReason = clearSession ? "logged out" : "closed by client";
    cancelTimer();
    if (channel == null) {
      finish();
      return;
    }
    if (failure == null && session != null) {
      session.disconnect(clearSession);
    }
    if (outbound.isEmpty() && !writing) {
      finish();
    } else {
      // The goodbye drains through the write handler, which finishes; this is the limit.
      final int current = attempt;
      loop.schedule(
          () -> {
            if (current == attempt) {
              finish();
            }
          },
          GOODBYE_FLUSH_MS,
          TimeUnit.MILLISECONDS);
    }
  }

  private void finish() {
    if (state == ConnectionState.CLOSED) {
      return;
    }
    boolean attemptOpen = channel != null;
    closeChannel();
    attempt++;
    state = ConnectionState.CLOSED;
    if (attemptOpen) {
      listener.onDisconnected(stopReason);
    }
    loop.shutdown();
  }

  private void closeChannel() {
    outbound.clear();
    writing = false;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.log(Level.FINE, "close failed", e);
      }
      channel = null;
    }
    session = null;
    reader = null;
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }
}
