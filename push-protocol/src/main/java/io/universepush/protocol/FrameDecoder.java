package io.universepush.protocol;

import java.nio.ByteBuffer;

/**
 * Decodes frames from a byte stream that may be split anywhere. Stateless apart from its limit, so one instance can
 * serve every connection; the caller keeps each connection's unread bytes.
 *
 * <p>Each header field is checked as soon as its bytes have arrived, so a bad magic byte closes a connection without
 * waiting for a whole header, and an oversize length is rejected before any body is buffered.
 */
public final class FrameDecoder {
  /** Default limit for client-sent bodies. */
  public static final int DEFAULT_MAX_BODY_LENGTH = 64 * 1024;

  private final int maxBodyLength;

  public FrameDecoder(int maxBodyLength) {
    if (maxBodyLength < 0) {
      throw new IllegalArgumentException("maxBodyLength must be >= 0");
    }
    this.maxBodyLength = maxBodyLength;
  }

  public FrameDecoder() {
    this(DEFAULT_MAX_BODY_LENGTH);
  }

  public int maxBodyLength() {
    return maxBodyLength;
  }

  /**
   * Decodes one frame starting at the buffer's position. Returns null, with the position unchanged, when the frame is
   * not complete yet; otherwise advances the position past the frame.
   *
   * @throws ProtocolException when the bytes available already show the stream is invalid
   */
  public Frame decode(ByteBuffer in) throws ProtocolException {
    int start = in.position();
    int available = in.remaining();
    if (available < 1) {
      return null;
    }
    int magic = in.get(start) & 0xFF;
    if (magic != Frame.MAGIC) {
      throw new ProtocolException(ProtocolError.BAD_MAGIC, String.format("expected 0xF8, got 0x%02X", magic));
    }
    if (available < 2) {
      return null;
    }
    int versionByte = in.get(start + 1) & 0xFF;
    ProtocolVersion version = ProtocolVersion.fromByte(versionByte);
    if (version == null) {
      throw new ProtocolException(ProtocolError.UNKNOWN_VERSION, "version " + versionByte);
    }
    if (available < 3) {
      return null;
    }
    int signalByte = in.get(start + 2) & 0xFF;
    Signal signal = Signal.fromByte(signalByte);
    if (signal == null) {
      throw new ProtocolException(ProtocolError.UNKNOWN_SIGNAL, "signal " + (signalByte & 0x7F));
    }
    int lengthBytes = version == ProtocolVersion.V1 ? 2 : 4;
    if (available < 3 + lengthBytes) {
      return null;
    }
    long length =
        version == ProtocolVersion.V1 ? (in.getShort(start + 3) & 0xFFFF) : in.getInt(start + 3);
    if (length < 0) {
      throw new ProtocolException(ProtocolError.NEGATIVE_LENGTH, "body length " + length);
    }
    if (length > maxBodyLength) {
      throw new ProtocolException(
          ProtocolError.FRAME_TOO_LARGE, "body length " + length + " exceeds " + maxBodyLength);
    }
    int headerLength = version.headerLength();
    if (available < headerLength + length) {
      return null;
    }
    int subSignal = in.get(start + 3 + lengthBytes) & 0x7F;
    int messageId = version == ProtocolVersion.V1 ? 0 : in.getShort(start + 8) & 0xFFFF;
    byte[] body = new byte[(int) length];
    in.position(start + headerLength);
    in.get(body);
    return Frame.wrap(version, signal, subSignal, messageId, body);
  }

  /**
   * Called when the stream has ended: leftover bytes mean the peer stopped inside a frame.
   *
   * @throws ProtocolException with {@link ProtocolError#TRUNCATED_FRAME} when bytes are left
   */
  public void checkEndOfStream(ByteBuffer leftover) throws ProtocolException {
    if (leftover.hasRemaining()) {
      throw new ProtocolException(
          ProtocolError.TRUNCATED_FRAME, "stream ended with " + leftover.remaining() + " bytes of an incomplete frame");
    }
  }
}
