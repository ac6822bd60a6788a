package io.universepush.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

  private static List<Frame> feed(FrameReader reader, byte[] bytes, int chunk) throws ProtocolException {
    List<Frame> frames = new ArrayList<Frame>();
    int offset = 0;
    while (offset < bytes.length) {
      ByteBuffer into = reader.readBuffer();
      int n = Math.min(chunk, Math.min(into.remaining(), bytes.length - offset));
      into.put(bytes, offset, n);
      offset += n;
      Frame frame;
      while ((frame = reader.next()) != null) {
        frames.add(frame);
      }
    }
    return frames;
  }

  @Test
  void decodesFramesWhateverTheSplitIncludingOnesLargerThanTheInitialBuffer() throws Exception {
    byte[] big = new byte[100_000];
    Frame[] frames = {
      Frame.of(ProtocolVersion.V3, Signal.PUSH, 0, 1, "a".getBytes("UTF-8")),
      Frame.of(ProtocolVersion.V3, Signal.PUSH, 0, 2, big),
      Frame.of(ProtocolVersion.V3, Signal.PING, 1, 3, null)
    };
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (Frame frame : frames) {
      stream.write(FrameEncoder.encode(frame));
    }
    for (int chunk : new int[] {1, 7, 4096, 1 << 20}) {
      assertThat(feed(new FrameReader(200_000), stream.toByteArray(), chunk)).as("chunk %d", chunk).containsExactly(frames);
    }
  }

  @Test
  void reportsATruncatedStreamAndAnOversizeFrame() throws Exception {
    FrameReader reader = new FrameReader(1000);
    byte[] frame = FrameEncoder.encode(Frame.of(ProtocolVersion.V3, Signal.PUSH, 0, 1, new byte[10]));
    reader.readBuffer().put(frame, 0, 12);
    assertThat(reader.next()).isNull();
    assertThatThrownBy(reader::endOfStream)
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.error()).isEqualTo(ProtocolError.TRUNCATED_FRAME));

    FrameReader small = new FrameReader(5);
    small.readBuffer().put(frame, 0, 10);
    assertThatThrownBy(small::next)
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.error()).isEqualTo(ProtocolError.FRAME_TOO_LARGE));
  }
}
