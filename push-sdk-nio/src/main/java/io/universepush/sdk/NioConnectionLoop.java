package io.universepush.sdk;

import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.ProtocolException;
import io.universepush.sdk.internal.Backoff;
import io.universepush.sdk.internal.ClientSession;
import io.universepush.sdk.internal.EndpointPicker;
import io.universepush.sdk.internal.FrameReader;
import io.universepush.sdk.internal.SafeListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's I/O thread: one non-blocking socket on a {@link Selector}, reconnecting with back-off until closed.
 * Protocol decisions are the {@link ClientSession}'s; this class moves bytes, keeps time and counts attempts. Every
 * field but the close flag and the state is touched by the I/O thread only, so nothing here needs a lock.
 */
final class NioConnectionLoop implements Runnable, ClientSession.Transport {
  private static final Logger LOG = Logger.getLogger(NioConnectionLoop.class.getName());
  /** Wake up at least this often, whatever the timers say: a cheap guard against a missed wakeup. */
  private static final long MAX_SELECT_MS = 60000;
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
  private final Selector selector;

  private volatile boolean closeRequested;
  private volatile boolean clearSession;
  private volatile ConnectionState state = ConnectionState.CONNECTING;

  private SocketChannel channel;
  private SelectionKey key;
  private FrameReader reader;
  private ClientSession session;
  private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<ByteBuffer>();
  private long connectDeadline;
  private long nextAttemptAt;
  private String failure;
  private boolean failurePersistent;
  private List<String> failureRedirect;

  NioConnectionLoop(
      ClientSession.Settings settings,
      DedupStore dedup,
      CursorStore cursors,
      PushListener listener,
      EndpointPicker endpoints,
      Backoff backoff,
      long connectTimeoutMs,
      int maxFrameLength)
      throws IOException {
    this.settings = settings;
    this.dedup = dedup;
    this.cursors = cursors;
    this.listener = new SafeListener(listener);
    this.endpoints = endpoints;
    this.backoff = backoff;
    this.connectTimeoutMs = connectTimeoutMs;
    this.maxFrameLength = maxFrameLength;
    this.selector = Selector.open();
  }

  ConnectionState state() {
    return state;
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
    if (channel == null) {
      return nextAttemptAt;
    }
    long at = session.nextTimerAt();
    return session.isConnected() ? at : Math.min(at, connectDeadline);
  }

  private void startAttempt() {
    state = ConnectionState.CONNECTING;
    listener.onConnecting();
    InetSocketAddress target;
    try {
      InetSocketAddress chosen = endpoints.next();
      // Resolving blocks, but only this client's thread, and only while it has nothing else to do.
      target = new InetSocketAddress(chosen.getHostString(), chosen.getPort());
      if (target.isUnresolved()) {
        throw new IOException("cannot resolve " + chosen.getHostString());
      }
    } catch (IOException e) {
      failed("no connector: " + e.getMessage(), e instanceof PushApiException && isAuthError(e), null);
      return;
    }
    reader = new FrameReader(maxFrameLength);
    session = new ClientSession(settings, dedup, cursors, listener, this);
    connectDeadline = now() + connectTimeoutMs;
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

  private static boolean isAuthError(IOException e) {
    int status = ((PushApiException) e).status();
    return status == 401 || status == 403;
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
      if (failure == null && selected.isValid() && selected.isWritable()) {
        flush();
      }
      if (failure == null && selected.isValid() && selected.isReadable()) {
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
      n = channel.read(reader.readBuffer());
    } catch (IOException e) {
      failed("read failed: " + describe(e), false, null);
      return;
    }
    try {
      Frame frame;
      while (failure == null && (frame = reader.next()) != null) {
        session.onFrame(frame, now());
      }
      if (n < 0 && failure == null) {
        reader.endOfStream();
        failed("connection closed by server", false, null);
      }
    } catch (ProtocolException e) {
      session.protocolError(e);
    }
  }

  private void onTimers() {
    if (channel == null) {
      return;
    }
    long now = now();
    if (!session.isConnected() && now >= connectDeadline) {
      failed("connect timeout: no CONNECT_ACK within " + connectTimeoutMs + " ms", false, null);
    } else {
      session.onTimer(now);
    }
    settle();
  }

  @Override
  public void send(Frame frame) {
    if (channel == null || failure != null) {
      return;
    }
    outbound.add(ByteBuffer.wrap(FrameEncoder.encode(frame)));
    flush();
  }

  private void flush() {
    try {
      while (!outbound.isEmpty()) {
        ByteBuffer head = outbound.peek();
        channel.write(head);
        if (head.hasRemaining()) {
          break;
        }
        outbound.poll();
      }
      if (key.isValid() && channel.isConnected()) {
        key.interestOps(outbound.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      }
    } catch (IOException e) {
      failed("write failed: " + describe(e), false, null);
    }
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
    if (failure == null) {
      return;
    }
    String reason = failure;
    failure = null;
    closeChannel();
    if (failureRedirect != null && !failureRedirect.isEmpty()) {
      endpoints.redirect(failureRedirect);
    }
    long delay = failurePersistent ? backoff.maxDelayMs() : backoff.nextDelayMs();
    nextAttemptAt = now() + delay;
    state = ConnectionState.WAITING_TO_RECONNECT;
    LOG.fine("disconnected (" + reason + "), next attempt in " + delay + " ms");
    listener.onDisconnected(reason);
  }

  private void closeChannel() {
    if (channel != null && channel.isConnected() && !outbound.isEmpty()) {
      // Best effort: a DISCONNECT explaining a protocol error is worth one more write.
      try {
        channel.write(outbound.toArray(new ByteBuffer[0]));
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    outbound.clear();
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
    session = null;
    reader = null;
  }

  private void shutdown(String failureReason) {
    boolean attemptOpen = channel != null;
    String reason = failureReason != null ? failureReason : clearSession ? "logged out" : "closed by client";
    try {
      if (attemptOpen && failure == null) {
        session.disconnect(clearSession);
        drainForGoodbye();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "goodbye failed", e);
    }
    failure = null;
    closeChannel();
    try {
      selector.close();
    } catch (IOException ignored) {
      // the thread ends anyway
    }
    state = ConnectionState.CLOSED;
    if (attemptOpen) {
      listener.onDisconnected(reason);
    }
  }

  private void drainForGoodbye() {
    long deadline = now() + GOODBYE_FLUSH_MS;
    try {
      while (!outbound.isEmpty() && failure == null && channel.isConnected()) {
        long wait = deadline - now();
        if (wait <= 0) {
          return;
        }
        // Write interest only: unread data from the server would otherwise wake the select at once, again and again.
        key.interestOps(SelectionKey.OP_WRITE);
        selector.select(wait);
        selector.selectedKeys().clear();
        flush();
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "goodbye not sent", e);
    }
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }
}
