package io.universepush.connector.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.wire.ProtocolViolations;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameDecoder;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Ping;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The decoder in a pipeline without sockets: framing across reads, and what a broken stream leads to. */
class FrameDecoderHandlerTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ConnectorMetrics metrics = new ConnectorMetrics(registry);
  private final EmbeddedChannel channel =
      new EmbeddedChannel(
          new FrameDecoderHandler(new FrameDecoder(1024), new ProtocolViolations(metrics), metrics),
          new FrameEncoderHandler(metrics));

  @Test
  void framesSplitAnywhereAreReassembled() {
    Frame ping = Frame.v3(Signal.PING, 0, 7, Ping.newBuilder().setIntervalMs(30_000).build());
    Frame legacy = Frame.text(ProtocolVersion.V1, Signal.PING, 0, 0, "{\"interval\":1}");
    byte[] stream = concat(FrameEncoder.encode(ping), FrameEncoder.encode(legacy));

    for (int i = 0; i < stream.length; i++) {
      channel.writeInbound(Unpooled.wrappedBuffer(stream, i, 1));
    }

    assertThat((Frame) channel.readInbound()).isEqualTo(ping);
    assertThat((Frame) channel.readInbound()).isEqualTo(legacy);
    assertThat(channel.isActive()).isTrue();
    assertThat(registry.get("push.connector.frames.in").tag("signal", "PING").counter().count()).isEqualTo(2);
  }

  @Test
  void anOversizeLengthIsAnsweredWithDisconnectAndClosesBeforeTheBodyArrives() throws Exception {
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xF8, 3, 6, 0, 0, 0x10, 0, 0, 0, 1}));

    assertThat((Object) channel.readInbound()).isNull();
    Frame disconnect = written();
    assertThat(disconnect.signal()).isEqualTo(Signal.DISCONNECT);
    assertThat(disconnect.subSignal()).isEqualTo(DisconnectReason.PROTOCOL_ERROR.code());
    assertThat(Disconnect.parseFrom(disconnect.body()).getReason()).startsWith("FRAME_TOO_LARGE");
    assertThat(channel.isOpen()).isFalse();
    assertThat(registry.get("push.connector.protocol.errors").tag("type", "FRAME_TOO_LARGE").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aLegacyStreamGetsItsDisconnectAsText() {
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xF8, 2, 0x40, 0, 0, 0, 0, 0, 0, 1}));

    Frame disconnect = written();
    assertThat(disconnect.version()).isEqualTo(ProtocolVersion.V2);
    assertThat(disconnect.bodyAsText()).startsWith("UNKNOWN_SIGNAL");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aStreamEndingInsideAFrameIsCountedAsTruncated() {
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xF8, 3, 3, 0, 0}));
    channel.close();

    assertThat(registry.get("push.connector.protocol.errors").tag("type", "TRUNCATED_FRAME").counter().count())
        .isEqualTo(1);
  }

  private Frame written() {
    ByteBuf out = channel.readOutbound();
    try {
      return new FrameDecoder(1 << 20).decode(out.nioBuffer());
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      out.release();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
