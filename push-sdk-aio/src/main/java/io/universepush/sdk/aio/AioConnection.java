package io.universepush.sdk.aio;

import io.universepush.sdk.ConnectionState;
import io.universepush.sdk.internal.ClientConfig;
import io.universepush.sdk.internal.ClientConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's connection on an {@link AsynchronousSocketChannel}, reconnecting with back-off until closed. The
 * channel's completion handlers run on the JDK's pool; they only hand their result to {@code loop}, a single thread
 * that owns every field here and the session, so the protocol logic never sees two threads. Stale
 * completions of an earlier attempt are recognized by {@link #attempt} and dropped.
 */
final class AioConnection extends ClientConnection {
  private static final Logger LOG = Logger.getLogger(AioConnection.class.getName());
  /** How long close() lets the DISCONNECT frame drain. */
  private static final long GOODBYE_FLUSH_MS = 1000;

  private final ScheduledExecutorService loop;

  private int attempt;
  private AsynchronousSocketChannel channel;
  private boolean writing;
  private ScheduledFuture<?> timer;
  private long timerAt = Long.MAX_VALUE;
  private boolean stopping;
  private String stopReason;

  AioConnection(ClientConfig config, String clientVersion, ScheduledExecutorService loop) {
    super(config, clientVersion);
    this.loop = loop;
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
    InetSocketAddress target = beginAttempt();
    if (target == null) {
      settle();
      return;
    }
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
    } catch (RejectedExecutionException closed) {
      // The client is closed; nothing to do with a late completion.
    }
  }

  private void read() {
    final int current = attempt;
    channel.read(
        readBuffer(),
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
    onBytesRead(n);
    if (!failing() && n >= 0 && !stopping) {
      read();
    }
  }

  @Override
  protected boolean wakeUp() {
    try {
      loop.execute(
          () -> {
            runRequests();
            settle();
            scheduleTimer();
          });
      return true;
    } catch (RejectedExecutionException closed) {
      return false;
    }
  }

  @Override
  protected boolean isOpen() {
    return channel != null;
  }

  @Override
  protected void writeOutbound() {
    if (writing) {
      return;
    }
    ByteBuffer next = nextToWrite();
    if (next == null) {
      return;
    }
    writing = true;
    final int current = attempt;
    channel.write(
        next,
        null,
        new CompletionHandler<Integer, Void>() {
          @Override
          public void completed(Integer n, Void nothing) {
            onLoop(current, () -> {
              writing = false;
              afterWrite();
              if (!failing()) {
                writeOutbound();
              }
              if (stopping && !writing && (failing() || !hasUnwritten())) {
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

  /** Acts on a failure reported during the last step: close, schedule the next attempt, tell the app. */
  private void settle() {
    if (stopping) {
      return;
    }
    long delay = settleFailure();
    if (delay < 0) {
      return;
    }
    cancelTimer();
    loop.schedule(this::startAttempt, delay, TimeUnit.MILLISECONDS);
  }

  /** Keeps one timer armed for the session's next heartbeat or deadline, or the connect timeout. */
  private void scheduleTimer() {
    if (channel == null || session == null || stopping) {
      return;
    }
    long at = nextTimerAt();
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
              onTimer();
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
    boolean goodbye = !failing() && sayGoodbye(clearSession);
    if (!goodbye || (!writing && !hasUnwritten())) {
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
    if (state() == ConnectionState.CLOSED) {
      return;
    }
    boolean attemptOpen = channel != null;
    closeChannel();
    attempt++;
    closed();
    failRequests(stopReason);
    if (attemptOpen) {
      listener.onDisconnected(stopReason);
    }
    loop.shutdown();
  }

  @Override
  protected void closeChannel() {
    writing = false;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.log(Level.FINE, "close failed", e);
      }
      channel = null;
    }
    endAttempt();
  }
}
