package io.universepush.connector.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.wire.PushFrame;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.Signal;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@link Frame}s and {@link PushFrame}s to bytes, each with its version's header. A PushFrame's shared body is
 * wrapped, not copied, so a fan-out written to many sessions is encoded once. Stateless: one instance serves every
 * connection.
 */
@Sharable
public final class FrameEncoderHandler extends MessageToMessageEncoder<Object> {
  private final ConnectorMetrics metrics;

  public FrameEncoderHandler(ConnectorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public boolean acceptOutboundMessage(Object msg) {
    return msg instanceof Frame || msg instanceof PushFrame;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
    if (msg instanceof PushFrame push) {
      out.add(push.encoded());
      metrics.frameOut(Signal.PUSH);
      return;
    }
    Frame frame = (Frame) msg;
    ByteBuffer header = ByteBuffer.allocate(frame.version().headerLength());
    // Throws for a version-1 body over 64 KiB: the write fails, the connection stays usable.
    FrameEncoder.writeHeader(frame, header);
    ByteBuf bytes = ctx.alloc().ioBuffer(FrameEncoder.encodedLength(frame));
    bytes.writeBytes(header.array()).writeBytes(FrameEncoder.bodyOf(frame));
    out.add(bytes);
    metrics.frameOut(frame.signal());
  }
}
