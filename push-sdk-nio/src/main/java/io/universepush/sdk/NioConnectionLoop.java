package io.universepush.sdk;

import io.universepush.sdk.internal.ClientConfig;
import io.universepush.sdk.internal.ClientConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's I/O thread: one non-blocking socket on a {@link Selector}, reconnecting with back-off until closed.
 * Protocol decisions are the session's; this class moves bytes, keeps time and counts attempts. Every
 * field but the close flag and the state is touched by the I/O thread only, so nothing here needs a lock.
 */
final class NioConnectionLoop extends ClientConnection implements Runnable {
  private static final Logger LOG = Logger.getLogger(NioConnectionLoop.class.getName());
  /** Wake up at least this often, whatever the timers say: a cheap guard against a missed wakeup. */
  private static final long MAX_SELECT_MS = 60000;
  /** How long close() lets the DISCONNECT frame drain. */
  private static final long GOODBYE_FLUSH_MS = 1000;

  private final Selector selector;

  private volatile boolean closeRequested;
  private volatile boolean clearSession;

  private SocketChannel channel;
  private SelectionKey key;
  private long nextAttemptAt;

  NioConnectionLoop(ClientConfig config, String clientVersion) throws IOException {
    super(config, clientVersion);
    this.selector = Selector.open();
  }

  /**
   * Asks the loop to say goodbye and stop; returns at once. With {@code clearSession} (logout) the goodbye asks the
   * server to forget the bindings.
   */
  void requestClose(boolean clearSession) {
    this.clearSession = clearSession;
    closeRequested = true;
    selector.wakeup();
  }

  @Override
  public void run() {
    String endReason = null;
    try {
      while (!closeRequested) {
        if (channel == null && now() >= nextAttemptAt) {
          startAttempt();
          settle();
          continue;
        }
        long wait = wakeAt() - now();
        if (wait > 0) {
          selector.select(Math.min(wait, MAX_SELECT_MS));
        } else {
          selector.selectNow();
        }
        if (closeRequested) {
          break;
        }
        handleSelectedKeys();
        onTimers();
        runRequests();
        settle();
      }
    } catch (Throwable t) {
      // A bug, or the selector failing: either way this client cannot go on.
      LOG.log(Level.SEVERE, "push client I/O loop failed", t);
      endReason = "internal error: " + t;
    } finally {
      shutdown(endReason);
    }
  }

  private long wakeAt() {
    return channel == null ? nextAttemptAt : nextTimerAt();
  }

  private void startAttempt() {
    InetSocketAddress target = beginAttempt();
    if (target == null) {
      return;
    }
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.socket().setTcpNoDelay(true);
      channel.socket().setKeepAlive(true);
      boolean connected = channel.connect(target);
      key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
      if (connected) {
        session.start();
      }
    } catch (IOException e) {
      failed("connect to " + target + " failed: " + describe(e), false, null);
    }
  }

  private void handleSelectedKeys() {
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey selected = it.next();
      it.remove();
      if (selected != key || !selected.isValid()) {
        continue;
      }
      if (selected.isConnectable()) {
        finishConnect();
      }
      if (!failing() && selected.isValid() && selected.isWritable()) {
        writeOutbound();
      }
      if (!failing() && selected.isValid() && selected.isReadable()) {
        read();
      }
      settle();
    }
  }

  private void finishConnect() {
    try {
      if (channel.finishConnect()) {
        key.interestOps(SelectionKey.OP_READ);
        session.start();
      }
    } catch (IOException e) {
      failed("connect failed: " + describe(e), false, null);
    }
  }

  private void read() {
    int n;
    try {
      n = channel.read(readBuffer());
    } catch (IOException e) {
      failed("read failed: " + describe(e), false, null);
      return;
    }
    onBytesRead(n);
  }

  private void onTimers() {
    if (channel == null) {
      return;
    }
    onTimer();
    settle();
  }

  @Override
  protected boolean wakeUp() {
    selector.wakeup();
    return true;
  }

  @Override
  protected boolean isOpen() {
    return channel != null;
  }

  @Override
  protected void writeOutbound() {
    try {
      writeWhatTheSocketTakes();
      if (key.isValid() && channel.isConnected()) {
        key.interestOps(hasUnwritten() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
      }
    } catch (IOException e) {
      failed("write failed: " + describe(e), false, null);
    }
  }

  private void writeWhatTheSocketTakes() throws IOException {
    ByteBuffer next;
    while ((next = nextToWrite()) != null) {
      channel.write(next);
      boolean partial = next.hasRemaining();
      afterWrite();
      if (partial) {
        return;
      }
    }
  }

  /** Acts on a failure reported during the last step: close, schedule the next attempt, tell the app. */
  private void settle() {
    long delay = settleFailure();
    if (delay >= 0) {
      nextAttemptAt = now() + delay;
    }
  }

  @Override
  protected void closeChannel() {
    if (channel != null && channel.isConnected() && hasUnwritten()) {
      // Best effort: a DISCONNECT explaining a protocol error is worth one more write (with TLS, and close_notify).
      try {
        endOutput();
        writeWhatTheSocketTakes();
      } catch (IOException | RuntimeException ignored) {
        // closing anyway
      }
    }
    if (key != null) {
      key.cancel();
      key = null;
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing left to do with it
      }
      channel = null;
    }
    endAttempt();
  }

  private void shutdown(String failureReason) {
    boolean attemptOpen = channel != null;
    String reason = failureReason != null ? failureReason : clearSession ? "logged out" : "closed by client";
    try {
      if (attemptOpen && !failing() && sayGoodbye(clearSession)) {
        drainForGoodbye();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "goodbye failed", e);
    }
    forgetFailure();
    closeChannel();
    try {
      selector.close();
    } catch (IOException ignored) {
      // the thread ends anyway
    }
    closed();
    failRequests(reason);
    if (attemptOpen) {
      listener.onDisconnected(reason);
    }
  }

  private void drainForGoodbye() {
    long deadline = now() + GOODBYE_FLUSH_MS;
    try {
      while (hasUnwritten() && !failing() && channel.isConnected()) {
        long wait = deadline - now();
        if (wait <= 0) {
          return;
        }
        // Write interest only: unread data from the server would otherwise wake the select at once, again and again.
        key.interestOps(SelectionKey.OP_WRITE);
        selector.select(wait);
        selector.selectedKeys().clear();
        writeOutbound();
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "goodbye not sent", e);
    }
  }
}
