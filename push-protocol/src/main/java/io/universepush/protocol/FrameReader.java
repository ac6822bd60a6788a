package io.universepush.protocol;

import java.nio.ByteBuffer;

/**
 * One connection's unread bytes in front of a {@link FrameDecoder}: read into {@link #readBuffer()}, then take frames
 * with {@link #next()} until it returns null. The buffer starts small and grows up to one maximal frame, so a large
 * push never needs more than its own size. Not thread-safe.
 */
public final class FrameReader {
  private static final int INITIAL_CAPACITY = 8 * 1024;

  private final FrameDecoder decoder;
  private final int maxCapacity;
  private ByteBuffer buffer;

  public FrameReader(int maxBodyLength) {
    this.decoder = new FrameDecoder(maxBodyLength);
    this.maxCapacity = (int) Math.min(Integer.MAX_VALUE, (long) maxBodyLength + ProtocolVersion.V3.headerLength());
    this.buffer = ByteBuffer.allocate(Math.min(INITIAL_CAPACITY, maxCapacity));
  }

  /** The buffer to read into (in write mode), with room for at least one byte. */
  public ByteBuffer readBuffer() {
    if (!buffer.hasRemaining()) {
      if (buffer.capacity() >= maxCapacity) {
        // Unreachable: a full buffer of maxCapacity bytes always holds a whole frame, which next() takes out.
        throw new IllegalStateException("frame buffer full");
      }
      ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(maxCapacity, buffer.capacity() * 2L));
      buffer.flip();
      bigger.put(buffer);
      buffer = bigger;
    }
    return buffer;
  }

  /**
   * The next complete frame, or null when more bytes are needed.
   *
   * @throws ProtocolException when the bytes cannot be a valid frame stream
   */
  public Frame next() throws ProtocolException {
    buffer.flip();
    try {
      return decoder.decode(buffer);
    } finally {
      buffer.compact();
      if (buffer.position() == 0 && buffer.capacity() > INITIAL_CAPACITY) {
        // Give back the memory of a big frame once it is consumed.
        buffer = ByteBuffer.allocate(INITIAL_CAPACITY);
      }
    }
  }

  /**
   * Called when the peer closed its side.
   *
   * @throws ProtocolException when the stream stopped inside a frame
   */
  public void endOfStream() throws ProtocolException {
    buffer.flip();
    try {
      decoder.checkEndOfStream(buffer);
    } finally {
      buffer.compact();
    }
  }
}
