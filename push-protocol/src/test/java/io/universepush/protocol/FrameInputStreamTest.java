package io.universepush.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameInputStreamTest {
  private final Frame ping = Frame.text(ProtocolVersion.V2, Signal.PING, 0, 7, "{\"interval\":30000}");
  private final Frame push = Frame.text(ProtocolVersion.V2, Signal.PUSH, 0, 0, "hello");

  @Test
  void readsFramesDeliveredOneByteAtATimeThenReportsTheCleanEnd() throws Exception {
    FrameInputStream frames = new FrameInputStream(oneByteAtATime(stream(ping, push)), 1024);

    assertThat(frames.read()).isEqualTo(ping);
    assertThat(frames.read()).isEqualTo(push);
    assertThat(frames.readOrNull()).isNull();
    assertThatThrownBy(frames::read).isInstanceOf(EOFException.class);
  }

  @Test
  void aStreamThatStopsInsideAFrameIsATruncatedFrame() {
    byte[] whole = stream(push);
    FrameInputStream frames =
        new FrameInputStream(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 2)), 1024);

    assertThatThrownBy(frames::read)
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.error()).isEqualTo(ProtocolError.TRUNCATED_FRAME));
  }

  private static byte[] stream(Frame... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame frame : frames) {
      byte[] bytes = FrameEncoder.encode(frame);
      out.write(bytes, 0, bytes.length);
    }
    return out.toByteArray();
  }

  private static InputStream oneByteAtATime(byte[] bytes) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(1, len));
      }
    };
  }
}
