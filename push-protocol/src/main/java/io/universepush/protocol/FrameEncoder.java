package io.universepush.protocol;

import java.nio.ByteBuffer;

/** Writes frames with the header generation their version calls for. Stateless. */
public final class FrameEncoder {
  private FrameEncoder() {}

  public static int encodedLength(Frame frame) {
    return frame.version().headerLength() + frame.bodyLength();
  }

  public static byte[] encode(Frame frame) {
    ByteBuffer out = ByteBuffer.allocate(encodedLength(frame));
    encode(frame, out);
    return out.array();
  }

  /** Writes the frame at the buffer's position, which must have {@link #encodedLength} bytes remaining. */
  public static void encode(Frame frame, ByteBuffer out) {
    writeHeader(frame, out);
    out.put(frame.bodyArray());
  }

  /** Writes only the header; the caller writes the body (lets transports avoid copying it). */
  public static void writeHeader(Frame frame, ByteBuffer out) {
    out.put((byte) Frame.MAGIC);
    out.put((byte) frame.version().code());
    out.put((byte) frame.signal().code());
    if (frame.version() == ProtocolVersion.V1) {
      if (frame.bodyLength() > 0xFFFF) {
        throw new IllegalArgumentException("version-1 bodies are limited to 65535 bytes");
      }
      out.putShort((short) frame.bodyLength());
      out.put((byte) frame.subSignal());
    } else {
      out.putInt(frame.bodyLength());
      out.put((byte) frame.subSignal());
      out.putShort((short) frame.messageId());
    }
  }

  /** The body of a frame without copying, for transports that write it straight to a socket. */
  public static byte[] bodyOf(Frame frame) {
    return frame.bodyArray();
  }
}
