package io.universepush.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.universepush.protocol.legacy.LegacyBodies;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.Push;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private final FrameDecoder decoder = new FrameDecoder(1024);

  private static List<Frame> sampleFrames() {
    Connect connect =
        Connect.newBuilder()
            .addBindings(Binding.newBuilder().setAppId("a1").setRegId("r1").setToken("t1"))
            .setHeartbeatIntervalMs(30_000)
            .build();
    Push push =
        Push.newBuilder()
            .setMsgId("m1")
            .setAppId("a1")
            .setPayload(com.google.protobuf.ByteString.copyFromUtf8("{\"k\":1}"))
            .build();
    return Arrays.asList(
        Frame.v3(Signal.CONNECT, 0, 1, connect),
        Frame.v3(Signal.PUSH, 0, 65535, push),
        Frame.v3(Signal.PING, 0, 2, null),
        LegacyBodies.subRequest(ProtocolVersion.V2, 7, "device-1"),
        LegacyBodies.push(ProtocolVersion.V2, "héllo"),
        LegacyBodies.pingRequest(ProtocolVersion.V1, 0, 30_000));
  }

  private static byte[] concat(List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame f : frames) {
      byte[] b = FrameEncoder.encode(f);
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  /** Feeds the stream in two pieces split at {@code split}, as a socket might deliver it. */
  private List<Frame> decodeSplit(byte[] stream, int split) throws ProtocolException {
    List<Frame> out = new ArrayList<Frame>();
    ByteBuffer buf = ByteBuffer.allocate(stream.length);
    buf.put(stream, 0, split).flip();
    drain(buf, out);
    buf.compact();
    buf.put(stream, split, stream.length - split).flip();
    drain(buf, out);
    decoder.checkEndOfStream(buf);
    return out;
  }

  private void drain(ByteBuffer buf, List<Frame> out) throws ProtocolException {
    Frame f;
    while ((f = decoder.decode(buf)) != null) {
      out.add(f);
    }
  }

  @Test
  void everySplitPointOfAValidStreamDecodesToTheSameFrames() throws Exception {
    List<Frame> frames = sampleFrames();
    byte[] stream = concat(frames);
    for (int split = 0; split <= stream.length; split++) {
      assertThat(decodeSplit(stream, split)).as("split at %d", split).isEqualTo(frames);
    }
  }

  @Test
  void byteByByteFeedingDecodesEveryFrame() throws Exception {
    List<Frame> frames = sampleFrames();
    byte[] stream = concat(frames);
    ByteBuffer buf = ByteBuffer.allocate(stream.length);
    List<Frame> out = new ArrayList<Frame>();
    for (byte b : stream) {
      buf.put(b).flip();
      drain(buf, out);
      buf.compact();
    }
    assertThat(out).isEqualTo(frames);
  }

  @Test
  void headerFieldsRoundTrip() throws Exception {
    Frame frame = Frame.of(ProtocolVersion.V3, Signal.CONNECT_ACK, 5, 4242, new byte[] {1, 2, 3});
    Frame decoded = decoder.decode(ByteBuffer.wrap(FrameEncoder.encode(frame)));
    assertThat(decoded.version()).isEqualTo(ProtocolVersion.V3);
    assertThat(decoded.signal()).isEqualTo(Signal.CONNECT_ACK);
    assertThat(decoded.subSignal()).isEqualTo(5);
    assertThat(decoded.messageId()).isEqualTo(4242);
    assertThat(decoded.body()).containsExactly(1, 2, 3);
  }

  @Test
  void legacyFirstGenerationHeaderIsSixBytes() throws Exception {
    byte[] body = "{\"uid\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    byte[] wire = new byte[6 + body.length];
    wire[0] = (byte) 0xF8;
    wire[1] = 1;
    wire[2] = 1; // SUB
    wire[3] = 0;
    wire[4] = (byte) body.length;
    wire[5] = 0;
    System.arraycopy(body, 0, wire, 6, body.length);
    Frame frame = decoder.decode(ByteBuffer.wrap(wire));
    assertThat(frame.version()).isEqualTo(ProtocolVersion.V1);
    assertThat(frame.signal()).isEqualTo(Signal.SUB);
    assertThat(LegacyBodies.parseSubUid(frame)).isEqualTo("x");
    assertThat(FrameEncoder.encode(frame)).isEqualTo(wire);
  }

  @Test
  void signalHighBitIsIgnoredAsOldClientsSetIt() throws Exception {
    byte[] wire = FrameEncoder.encode(Frame.v3(Signal.PING, 0, 1, null));
    wire[2] = (byte) (wire[2] | 0x80);
    assertThat(decoder.decode(ByteBuffer.wrap(wire)).signal()).isEqualTo(Signal.PING);
  }

  @Test
  void badMagicIsRejectedFromTheFirstByte() {
    assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(new byte[] {0x47})))
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).error()).isEqualTo(ProtocolError.BAD_MAGIC));
  }

  @Test
  void unknownVersionIsRejected() {
    assertError(new byte[] {(byte) 0xF8, 9}, ProtocolError.UNKNOWN_VERSION);
  }

  @Test
  void unknownSignalIsRejected() {
    assertError(new byte[] {(byte) 0xF8, 3, 99}, ProtocolError.UNKNOWN_SIGNAL);
  }

  @Test
  void oversizeLengthIsRejectedBeforeTheBodyArrives() {
    ByteBuffer header = ByteBuffer.allocate(7);
    header.put((byte) 0xF8).put((byte) 3).put((byte) Signal.PUSH.code()).putInt(1025).flip();
    assertError(header, ProtocolError.FRAME_TOO_LARGE);
  }

  @Test
  void negativeLengthIsRejected() {
    ByteBuffer header = ByteBuffer.allocate(7);
    header.put((byte) 0xF8).put((byte) 2).put((byte) Signal.PING.code()).putInt(-1).flip();
    assertError(header, ProtocolError.NEGATIVE_LENGTH);
  }

  @Test
  void truncatedBodyIsReportedAtEndOfStream() throws Exception {
    byte[] wire = FrameEncoder.encode(Frame.text(ProtocolVersion.V2, Signal.PUSH, 0, 0, "hello"));
    ByteBuffer buf = ByteBuffer.wrap(Arrays.copyOf(wire, wire.length - 2));
    assertThat(decoder.decode(buf)).isNull();
    assertThat(buf.position()).isZero();
    assertThatThrownBy(() -> decoder.checkEndOfStream(buf))
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).error()).isEqualTo(ProtocolError.TRUNCATED_FRAME));
  }

  @Test
  void incompleteHeaderReturnsNullWithoutConsuming() throws Exception {
    ByteBuffer buf = ByteBuffer.wrap(new byte[] {(byte) 0xF8, 3, 4, 0, 0});
    assertThat(decoder.decode(buf)).isNull();
    assertThat(buf.position()).isZero();
  }

  private void assertError(byte[] bytes, ProtocolError expected) {
    assertError(ByteBuffer.wrap(bytes), expected);
  }

  private void assertError(ByteBuffer buf, ProtocolError expected) {
    assertThatThrownBy(() -> decoder.decode(buf))
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).error()).isEqualTo(expected));
  }
}
