package io.universepush.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Frames from a blocking stream (a plain {@link java.net.Socket}), for simple clients, tools and tests; the SDKs'
 * non-blocking loops use {@link FrameReader} directly. Not thread-safe.
 */
public final class FrameInputStream {
  private final InputStream in;
  private final FrameReader reader;

  public FrameInputStream(InputStream in, int maxBodyLength) {
    this.in = in;
    this.reader = new FrameReader(maxBodyLength);
  }

  /**
   * The next frame, blocking until it is complete.
   *
   * @throws EOFException when the peer closed the stream between frames
   * @throws ProtocolException when the bytes are not a valid frame stream, or the stream stopped inside a frame
   */
  public Frame read() throws IOException, ProtocolException {
    Frame frame = readOrNull();
    if (frame == null) {
      throw new EOFException("the peer closed the connection");
    }
    return frame;
  }

  /** Like {@link #read()}, but null when the peer closed the stream between frames. */
  public Frame readOrNull() throws IOException, ProtocolException {
    while (true) {
      Frame frame = reader.next();
      if (frame != null) {
        return frame;
      }
      ByteBuffer buffer = reader.readBuffer();
      int n = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      if (n < 0) {
        reader.endOfStream();
        return null;
      }
      buffer.position(buffer.position() + n);
    }
  }
}
