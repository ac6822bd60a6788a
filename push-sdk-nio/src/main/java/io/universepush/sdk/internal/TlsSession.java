package io.universepush.sdk.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The client side of one TLS connection, without sockets: the transport puts cipher bytes from the server in with
 * {@link #receive}, takes cipher bytes for the server from {@link #cipherToSend}, and {@link #pump} turns one into the
 * other through the {@link SSLEngine} (handshake, records, close_notify). Both the NIO and the AIO connection use it.
 * Buffers are sized by the engine's session and grow only up to its packet and application sizes. One thread at a
 * time. Not public API.
 */
public final class TlsSession {
  private static final Logger LOG = Logger.getLogger(TlsSession.class.getName());

  /** Older protocols are not offered even where the platform still has them. */
  private static final List<String> PROTOCOLS = Arrays.asList("TLSv1.3", "TLSv1.2");

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  /** Bound of the received bytes kept while the engine cannot unwrap them yet. */
  private static final int MAX_BUFFERED_RECORDS = 4;

  /** Receives the plain bytes the server sent, as soon as they are decrypted. */
  public interface PlainSink {
    /** Must consume everything {@code plain} holds. */
    void accept(ByteBuffer plain);
  }

  private final SSLEngine engine;
  /** Cipher bytes received and not yet unwrapped (write mode). */
  private ByteBuffer cipherIn;
  /** Cipher bytes to send (write mode, except while handed out by {@link #cipherToSend}). */
  private ByteBuffer cipherOut;
  /** Plain bytes unwrapped, handed to the sink at once (write mode). */
  private ByteBuffer plainIn;

  private boolean sending;
  private boolean closeRequested;
  private boolean handshakeDone;

  private TlsSession(SSLEngine engine) {
    this.engine = engine;
    int packetSize = engine.getSession().getPacketBufferSize();
    this.cipherIn = ByteBuffer.allocate(packetSize);
    this.cipherOut = ByteBuffer.allocate(packetSize);
    this.plainIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
  }

  /**
   * A client session for {@code host}: the server's certificate must be valid for it (hostname verification, on
   * platforms that support the "HTTPS" identification algorithm: Android 7 / API 24 and every Java 8+ JVM), and the
   * host is sent as SNI unless it is an IP literal. Offers TLSv1.3 and TLSv1.2, as far as the platform has them.
   *
   * @throws SSLException when the platform supports neither protocol
   */
  public static TlsSession client(SSLContext context, String host, int port) throws SSLException {
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    verifyHostAndSendSni(parameters, host);
    List<String> protocols = new ArrayList<String>();
    List<String> supported = Arrays.asList(engine.getSupportedProtocols());
    for (String protocol : PROTOCOLS) {
      if (supported.contains(protocol)) {
        protocols.add(protocol);
      }
    }
    if (protocols.isEmpty()) {
      throw new SSLException("the platform supports neither TLSv1.3 nor TLSv1.2");
    }
    parameters.setProtocols(protocols.toArray(new String[0]));
    engine.setSSLParameters(parameters);
    engine.beginHandshake();
    return new TlsSession(engine);
  }

  private static void verifyHostAndSendSni(SSLParameters parameters, String host) {
    try {
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      if (!isIpLiteral(host)) {
        parameters.setServerNames(Collections.<SNIServerName>singletonList(new SNIHostName(host)));
      }
    } catch (LinkageError olderAndroid) {
      // Both came with Android 7 (API 24). Before it the engine checks the chain only, and sends SNI on its own
      // from the host given to createSSLEngine.
      LOG.fine("no host name verification on this platform: " + olderAndroid);
    }
  }

  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  /**
   * Takes all of {@code cipher}. Normally {@link #pump} leaves less than one record behind; bytes pile up only while
   * the engine waits to send a handshake message, so the buffer may grow to a few records, not more.
   *
   * @throws SSLException when the server sent more than that ahead of the handshake
   */
  public void receive(ByteBuffer cipher) throws SSLException {
    if (cipher.remaining() > cipherIn.remaining()) {
      int limit = MAX_BUFFERED_RECORDS * engine.getSession().getPacketBufferSize();
      int needed = cipherIn.position() + cipher.remaining();
      if (needed > limit) {
        throw new SSLException("more than " + limit + " bytes received that the handshake cannot take yet");
      }
      ByteBuffer bigger = ByteBuffer.allocate(Math.min(limit, Math.max(needed, cipherIn.capacity() * 2)));
      cipherIn.flip();
      bigger.put(cipherIn);
      cipherIn = bigger;
    }
    cipherIn.put(cipher);
  }

  /**
   * Moves the engine as far as it goes without new bytes from the server: runs its tasks (inline: on the client side
   * they are short), wraps handshake messages, then the frames of {@code plainOut} (taking each fully written one
   * off), then close_notify after {@link #requestClose}, and unwraps what was received into {@code sink}. Wraps
   * nothing while {@link #cipherToSend} bytes are out.
   *
   * @throws SSLException when the handshake fails (untrusted certificate, ...) or a record is corrupt
   */
  public void pump(Deque<ByteBuffer> plainOut, PlainSink sink) throws SSLException {
    boolean progress = true;
    while (progress) {
      progress = false;
      HandshakeStatus status = engine.getHandshakeStatus();
      if (status == HandshakeStatus.NEED_TASK) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
        progress = true;
        continue;
      }
      if (!sending) {
        progress |= wrap(status, plainOut);
      }
      progress |= unwrap(sink);
    }
  }

  private boolean wrap(HandshakeStatus status, Deque<ByteBuffer> plainOut) throws SSLException {
    if (engine.isOutboundDone()) {
      return false;
    }
    ByteBuffer src;
    if (status == HandshakeStatus.NEED_WRAP) {
      src = EMPTY;
    } else if (status == HandshakeStatus.NEED_UNWRAP) {
      return false;
    } else if (!plainOut.isEmpty()) {
      src = plainOut.peek();
    } else if (closeRequested) {
      engine.closeOutbound();
      src = EMPTY;
    } else {
      return false;
    }
    SSLEngineResult result = engine.wrap(src, cipherOut);
    noteHandshake(result);
    if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
      if (cipherOut.position() > 0) {
        return false; // the transport must send what is there first
      }
      cipherOut = grow(cipherOut, engine.getSession().getPacketBufferSize(), "outgoing record");
      return true;
    }
    if (src != EMPTY && !src.hasRemaining()) {
      plainOut.poll();
    }
    return result.bytesProduced() > 0 || result.bytesConsumed() > 0 || result.getHandshakeStatus() != status;
  }

  private boolean unwrap(PlainSink sink) throws SSLException {
    if (cipherIn.position() == 0 || engine.isInboundDone()) {
      return false;
    }
    cipherIn.flip();
    SSLEngineResult result;
    try {
      result = engine.unwrap(cipherIn, plainIn);
    } finally {
      cipherIn.compact();
    }
    noteHandshake(result);
    if (plainIn.position() > 0) {
      plainIn.flip();
      sink.accept(plainIn);
      plainIn.clear();
    }
    switch (result.getStatus()) {
      case BUFFER_UNDERFLOW:
        return false; // part of a record: wait for the rest, which receive() makes room for
      case BUFFER_OVERFLOW:
        // The plain bytes went to the sink above; only a record larger than the buffer needs a bigger one.
        if (result.bytesProduced() == 0) {
          plainIn = grow(plainIn, engine.getSession().getApplicationBufferSize(), "decrypted record");
        }
        return true;
      default:
        return result.bytesConsumed() > 0 || result.bytesProduced() > 0;
    }
  }

  private void noteHandshake(SSLEngineResult result) {
    if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
      handshakeDone = true;
    }
  }

  private static ByteBuffer grow(ByteBuffer buffer, int limit, String what) throws SSLException {
    if (buffer.capacity() >= limit) {
      throw new SSLException(what + " larger than the session's limit of " + limit + " bytes");
    }
    ByteBuffer bigger = ByteBuffer.allocate(limit);
    buffer.flip();
    bigger.put(buffer);
    return bigger;
  }

  /** Cipher bytes to send (read mode), or null when there are none; {@link #sent} must follow. */
  public ByteBuffer cipherToSend() {
    if (sending) {
      throw new IllegalStateException("cipher bytes are already out");
    }
    if (cipherOut.position() == 0) {
      return null;
    }
    sending = true;
    cipherOut.flip();
    return cipherOut;
  }

  /** The transport wrote what it could of {@link #cipherToSend}; the rest stays for the next write. */
  public void sent() {
    if (sending) {
      sending = false;
      cipherOut.compact();
    }
  }

  /** Whether anything is left to wrap or send, given the plain frames not yet wrapped. */
  public boolean hasPendingOutput(Deque<ByteBuffer> plainOut) {
    return sending
        || cipherOut.position() > 0
        || !plainOut.isEmpty()
        || (!engine.isOutboundDone()
            && (closeRequested || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP));
  }

  /** Sends close_notify once the frames queued now are wrapped (on the next {@link #pump}). */
  public void requestClose() {
    closeRequested = true;
  }

  /** The largest record the session expects: a good size for the buffer the transport reads into. */
  public int packetBufferSize() {
    return engine.getSession().getPacketBufferSize();
  }

  /** Whether the server sent close_notify. */
  public boolean isInboundDone() {
    return engine.isInboundDone();
  }

  public boolean isHandshakeDone() {
    return handshakeDone;
  }
}
