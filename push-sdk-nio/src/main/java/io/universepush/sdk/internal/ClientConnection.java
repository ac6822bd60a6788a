package io.universepush.sdk.internal;

import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.FrameReader;
import io.universepush.protocol.ProtocolException;
import io.universepush.sdk.ConnectionState;
import io.universepush.sdk.PositionStore;
import io.universepush.sdk.DedupStore;
import io.universepush.sdk.PublishFuture;
import io.universepush.sdk.PushApiException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * What a client connection does whatever its sockets: one attempt after another, each with its own {@link
 * ClientSession} and {@link FrameReader}; failures reported during a step are recorded and acted on once the step is
 * over ({@link #settleFailure}). Subclasses move the bytes and keep the time; everything here runs on the one thread
 * that owns the connection. With TLS, the bytes they move are records of a {@link TlsSession}: subclasses read into
 * {@link #readBuffer()} and write what {@link #nextToWrite()} gives, and need not know which. Not public API.
 */
public abstract class ClientConnection implements ClientSession.Transport {
  private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());

  protected final SafeListener listener;
  protected final long connectTimeoutMs;
  /** Upstream messages from app threads, for the I/O thread to send ({@link #runRequests}). */
  private final ConcurrentLinkedQueue<PendingPublish> requests = new ConcurrentLinkedQueue<PendingPublish>();
  /** Encoded frames not yet written (with TLS: not yet encrypted), oldest first. */
  private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<ByteBuffer>();

  private final ClientSession.Settings settings;
  private final DedupStore dedup;
  private final PositionStore positions;
  private final EndpointPicker endpoints;
  private final Backoff backoff;
  private final int maxFrameLength;
  private final ClientConfig config;
  private final TlsSession.PlainSink plainSink =
      new TlsSession.PlainSink() {
        @Override
        public void accept(ByteBuffer plain) {
          takePlainBytes(plain);
        }
      };

  private volatile ConnectionState state = ConnectionState.CONNECTING;

  /** The current attempt's session and reader; null between attempts. */
  protected ClientSession session;

  protected FrameReader reader;
  private long connectDeadline;
  private String failure;
  private boolean failurePersistent;
  private List<String> failureRedirect;

  /** The current attempt's TLS session and the buffer its records are read into; null without TLS. */
  private TlsSession tls;
  private ByteBuffer cipherRead;
  /** Set while the TLS session runs: frames sent meanwhile are only queued, the running pump takes them. */
  private boolean pumping;
  private boolean tlsBroken;

  protected ClientConnection(ClientConfig config, String clientVersion) {
    this.settings = config.sessionSettings(clientVersion);
    this.dedup = config.dedupStore();
    this.positions = config.positionStore();
    this.listener = new SafeListener(config.listener());
    this.endpoints = config.newEndpointPicker();
    this.backoff = config.newBackoff();
    this.connectTimeoutMs = config.connectTimeoutMs();
    this.maxFrameLength = config.maxFrameLength();
    this.config = config;
  }

  public final ConnectionState state() {
    return state;
  }

  protected final void closed() {
    state = ConnectionState.CLOSED;
  }

  /**
   * Has the I/O thread call {@link #runRequests} soon (NIO: wakes the selector; AIO: a task on the loop). Returns
   * false when the thread is gone; called from any thread.
   */
  protected abstract boolean wakeUp();

  /**
   * An upstream message from the app, on any thread: handed to the I/O thread, which sends it on the current
   * connection. Fails at once when the client is not connected: a message is never kept for a later connection.
   */
  final PublishFuture submit(PendingPublish message) {
    ConnectionState now = state;
    if (now != ConnectionState.CONNECTED) {
      message.unanswered("not connected (" + now + ")", false);
      return message;
    }
    requests.add(message);
    // After closed() nobody takes the queue but us; before it, the I/O thread's last failRequests does.
    if (!wakeUp() || state == ConnectionState.CLOSED) {
      failRequests("client closed");
    }
    return message;
  }

  /** Sends the upstream messages the app handed over; on the I/O thread. */
  protected final void runRequests() {
    PendingPublish message;
    while ((message = requests.poll()) != null) {
      if (session == null || failure != null) {
        message.unanswered("not connected", false);
      } else {
        session.publish(message);
      }
    }
  }

  /** Fails every upstream message not yet sent; after {@link #closed()}, from the last step of the I/O thread. */
  protected final void failRequests(String reason) {
    PendingPublish message;
    while ((message = requests.poll()) != null) {
      message.unanswered(reason, false);
    }
  }

  /** Whether a socket of the current attempt is open. */
  protected abstract boolean isOpen();

  /** Writes what {@link #outbound} holds, as far as the socket takes it now. */
  protected abstract void writeOutbound();

  /** Closes the current attempt's socket and forgets what was left to write; then {@link #endAttempt}. */
  protected abstract void closeChannel();

  /**
   * Starts an attempt: tells the listener, picks and resolves a connector and prepares a fresh session. Returns the
   * address to connect to, or null with the failure recorded when there is none.
   */
  protected final InetSocketAddress beginAttempt() {
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
      failed("no connector: " + describe(e), isAuthError(e), null);
      return null;
    }
    try {
      tls = config.newTlsSession(target.getHostString(), target.getPort());
    } catch (SSLException e) {
      failed("TLS unavailable: " + describe(e), true, null);
      return null;
    }
    tlsBroken = false;
    cipherRead = tls == null ? null : ByteBuffer.allocate(tls.packetBufferSize());
    reader = new FrameReader(maxFrameLength);
    session = new ClientSession(settings, dedup, positions, listener, this);
    connectDeadline = now() + connectTimeoutMs;
    return target;
  }

  /** A refused app secret stays refused: retrying at the fastest pace would only hammer the API. */
  private static boolean isAuthError(IOException e) {
    if (!(e instanceof PushApiException)) {
      return false;
    }
    int status = ((PushApiException) e).status();
    return status == 401 || status == 403;
  }

  protected final void endAttempt() {
    if (session != null) {
      session.connectionLost("connection closed");
    }
    session = null;
    reader = null;
    tls = null;
    cipherRead = null;
    outbound.clear();
  }

  /** Where to read the next bytes from the socket into (write mode, with room). */
  protected final ByteBuffer readBuffer() {
    return tls == null ? reader.readBuffer() : cipherRead;
  }

  /**
   * Hands the session every complete frame read so far; {@code n < 0} is the end of the stream. With TLS it first
   * decrypts, and sends what the handshake or the frames it caused need.
   */
  protected final void onBytesRead(int n) {
    if (tls == null) {
      takeFrames(n);
      return;
    }
    try {
      cipherRead.flip();
      tls.receive(cipherRead);
      cipherRead.clear();
      pumpTls();
      if (failure == null && (n < 0 || tls.isInboundDone())) {
        if (tls.isHandshakeDone()) {
          takeFrames(-1);
        } else {
          failed("TLS handshake failed: connection closed by server", false, null);
        }
      }
    } catch (SSLException e) {
      tlsFailed(e);
    }
    if (failure == null && isOpen()) {
      writeOutbound();
    }
  }

  private void pumpTls() throws SSLException {
    pumping = true;
    try {
      tls.pump(outbound, plainSink);
    } finally {
      pumping = false;
    }
  }

  /** Decrypted bytes into the frame reader, as much at a time as its buffer takes. */
  private void takePlainBytes(ByteBuffer plain) {
    while (plain.hasRemaining()) {
      if (failure != null || reader == null) {
        plain.position(plain.limit());
        return;
      }
      ByteBuffer into = reader.readBuffer();
      ByteBuffer part = plain.duplicate();
      part.limit(part.position() + Math.min(into.remaining(), part.remaining()));
      int n = part.remaining();
      into.put(part);
      plain.position(part.position());
      takeFrames(n);
    }
  }

  private void takeFrames(int n) {
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
  }

  /** When the session's next heartbeat or deadline is due, or, before CONNECT_ACK, the connect timeout. */
  protected final long nextTimerAt() {
    long at = session.nextTimerAt();
    return session.isConnected() ? at : Math.min(at, connectDeadline);
  }

  /** Gives the session its timer, or fails the attempt when CONNECT_ACK is late. */
  protected final void onTimer() {
    long now = now();
    if (!session.isConnected() && now >= connectDeadline) {
      failed("connect timeout: no CONNECT_ACK within " + connectTimeoutMs + " ms", false, null);
    } else {
      session.onTimer(now);
    }
  }

  @Override
  public final void send(Frame frame) {
    if (!isOpen() || failure != null) {
      return;
    }
    outbound.add(ByteBuffer.wrap(FrameEncoder.encode(frame)));
    if (!pumping) {
      writeOutbound();
    }
  }

  /**
   * The bytes to write next (read mode), or null when nothing can be written now; {@link #afterWrite} must follow each
   * write. Without TLS these are the queued frames themselves; with TLS, records of the handshake, the frames and
   * close_notify.
   */
  protected final ByteBuffer nextToWrite() {
    if (tls == null) {
      return outbound.peek();
    }
    if (tlsBroken) {
      return null;
    }
    try {
      pumpTls();
    } catch (SSLException e) {
      tlsFailed(e);
      return null;
    }
    return tls.cipherToSend();
  }

  /** The socket took what it could of {@link #nextToWrite}. */
  protected final void afterWrite() {
    if (tls != null) {
      tls.sent();
    } else if (!outbound.isEmpty() && !outbound.peek().hasRemaining()) {
      outbound.poll();
    }
  }

  /** Whether anything is waiting to be written. */
  protected final boolean hasUnwritten() {
    return tls == null ? !outbound.isEmpty() : !tlsBroken && tls.hasPendingOutput(outbound);
  }

  /** No frame follows what is queued: with TLS, close_notify goes after it. */
  protected final void endOutput() {
    if (tls != null) {
      tls.requestClose();
    }
  }

  /**
   * The app closes the client: queues DISCONNECT (and close_notify) and starts writing. Returns whether there is a
   * goodbye to drain; not when the attempt failed or the server cannot hear it yet (TCP or TLS handshake running).
   */
  protected final boolean sayGoodbye(boolean clearSession) {
    if (session == null || failure != null || !isOpen() || (tls != null && !tls.isHandshakeDone())) {
      return false;
    }
    boolean sent = session.disconnect(clearSession);
    endOutput();
    writeOutbound();
    return sent || hasUnwritten();
  }

  private void tlsFailed(SSLException e) {
    tlsBroken = true;
    boolean certificate = isCertificateProblem(e);
    // A certificate the client does not trust stays untrusted: retrying at the fastest pace would only hammer.
    failed(
        (tls != null && tls.isHandshakeDone() ? "TLS failed: " : "TLS handshake failed: ")
            + (certificate ? "server certificate not accepted: " : "")
            + describe(e),
        certificate,
        null);
  }

  private static boolean isCertificateProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public final void accepted(String nodeId) {
    state = ConnectionState.CONNECTED;
    backoff.reset();
    listener.onConnected(nodeId);
  }

  @Override
  public final void failed(String reason, boolean persistent, List<String> redirect) {
    if (failure == null) {
      failure = reason;
      failurePersistent = persistent;
      failureRedirect = redirect;
    }
  }

  /** Whether a failure was reported during the current step and not yet settled. */
  protected final boolean failing() {
    return failure != null;
  }

  protected final void forgetFailure() {
    failure = null;
  }

  /**
   * Acts on a failure reported during the last step: closes the attempt, follows a redirect, tells the app. Returns
   * how long to wait before the next attempt, or -1 when nothing failed.
   */
  protected final long settleFailure() {
    if (failure == null) {
      return -1;
    }
    String reason = failure;
    failure = null;
    if (session != null) {
      // Before the socket goes, so pending answers fail with the real reason rather than "connection closed".
      session.connectionLost(reason);
    }
    closeChannel();
    if (failureRedirect != null && !failureRedirect.isEmpty()) {
      endpoints.redirect(failureRedirect);
    }
    long delay = failurePersistent ? backoff.maxDelayMs() : backoff.nextDelayMs();
    state = ConnectionState.WAITING_TO_RECONNECT;
    LOG.fine("disconnected (" + reason + "), next attempt in " + delay + " ms");
    listener.onDisconnected(reason);
    return delay;
  }

  protected static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  protected static long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }
}
