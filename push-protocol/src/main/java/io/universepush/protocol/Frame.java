package io.universepush.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One protocol frame: header fields plus an opaque body. Immutable; the body array is never exposed for writing. */
public final class Frame {
  public static final int MAGIC = 0xF8;
  public static final int MAX_MESSAGE_ID = 0xFFFF;
  private static final byte[] EMPTY = new byte[0];

  private final ProtocolVersion version;
  private final Signal signal;
  private final int subSignal;
  private final int messageId;
  private final byte[] body;

  private Frame(ProtocolVersion version, Signal signal, int subSignal, int messageId, byte[] body) {
    if (version == null || signal == null) {
      throw new IllegalArgumentException("version and signal are required");
    }
    if (subSignal < 0 || subSignal > 0x7F) {
      throw new IllegalArgumentException("sub-signal out of range: " + subSignal);
    }
    if (messageId < 0 || messageId > MAX_MESSAGE_ID) {
      throw new IllegalArgumentException("message id out of range: " + messageId);
    }
    this.version = version;
    this.signal = signal;
    this.subSignal = subSignal;
    this.messageId = messageId;
    this.body = body == null ? EMPTY : body;
  }

  public static Frame of(ProtocolVersion version, Signal signal, int subSignal, int messageId, byte[] body) {
    return new Frame(version, signal, subSignal, messageId, body == null ? EMPTY : body.clone());
  }

  /** Wraps the body without copying; for decoders and encoders that own a fresh array. */
  static Frame wrap(ProtocolVersion version, Signal signal, int subSignal, int messageId, byte[] body) {
    return new Frame(version, signal, subSignal, messageId, body);
  }

  public static Frame v3(Signal signal, int subSignal, int messageId, com.google.protobuf.MessageLite body) {
    return new Frame(ProtocolVersion.V3, signal, subSignal, messageId, body == null ? EMPTY : body.toByteArray());
  }

  public static Frame text(ProtocolVersion version, Signal signal, int subSignal, int messageId, String body) {
    return new Frame(version, signal, subSignal, messageId, body.getBytes(StandardCharsets.UTF_8));
  }

  public ProtocolVersion version() {
    return version;
  }

  public Signal signal() {
    return signal;
  }

  public int subSignal() {
    return subSignal;
  }

  public int messageId() {
    return messageId;
  }

  public int bodyLength() {
    return body.length;
  }

  /** A copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body for reading without a copy; callers must not modify it. */
  byte[] bodyArray() {
    return body;
  }

  public String bodyAsText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Frame)) {
      return false;
    }
    Frame f = (Frame) o;
    return version == f.version
        && signal == f.signal
        && subSignal == f.subSignal
        && messageId == f.messageId
        && Arrays.equals(body, f.body);
  }

  @Override
  public int hashCode() {
    return ((version.hashCode() * 31 + signal.hashCode()) * 31 + subSignal * 65537 + messageId) * 31
        + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "Frame{v" + version.code() + " " + signal + " sub=" + subSignal + " id=" + messageId
        + " body=" + body.length + "B}";
  }
}
