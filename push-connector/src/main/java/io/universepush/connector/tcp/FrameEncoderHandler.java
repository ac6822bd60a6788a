package io.universepush.connector.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import java.nio.ByteBuffer;

/** {@link Frame}s to bytes, each with its version's header. Stateless: one instance serves every connection. */
@Sharable
public final class FrameEncoderHandler extends MessageToByteEncoder<Frame> {
  private final ConnectorMetrics metrics;

  public FrameEncoderHandler(ConnectorMetrics metrics) {
    super(Frame.class);
    this.metrics = metrics;
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
    return ctx.alloc().ioBuffer(FrameEncoder.encodedLength(frame));
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
    ByteBuffer header = ByteBuffer.allocate(frame.version().headerLength());
    // Throws for a version-1 body over 64 KiB: the write fails, the connection stays usable.
    FrameEncoder.writeHeader(frame, header);
    out.writeBytes(header.array());
    out.writeBytes(FrameEncoder.bodyOf(frame));
    metrics.frameOut(frame.signal());
  }
}
