package io.universepush.connector.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.wire.PushFrame;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import java.nio.ByteBuffer;

/**
 * Takes the TCP frame encoder's place on WebSocket connections: each {@link Frame} the session writes becomes one
 * WebSocket message, binary (header and body, exactly the TCP bytes) or JSON text, in the form the client used first.
 * Stateless: one instance serves every connection.
 */
@Sharable
final class WebSocketOutboundAdapter extends ChannelOutboundHandlerAdapter {
  private final ConnectorMetrics metrics;

  WebSocketOutboundAdapter(ConnectorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    Frame frame = PushFrame.asFrame(msg);
    if (frame == null) {
      ctx.write(msg, promise);
      return;
    }
    if (WebSocketForm.of(ctx.channel()) == WebSocketForm.TEXT) {
      // Throws for a body that does not parse as its signal's message: the write fails, as on TCP.
      ctx.write(new TextWebSocketFrame(WebSocketJson.toJson(frame)), promise);
    } else {
      ByteBuffer header = ByteBuffer.allocate(frame.version().headerLength());
      FrameEncoder.writeHeader(frame, header);
      ByteBuf bytes = ctx.alloc().ioBuffer(FrameEncoder.encodedLength(frame));
      bytes.writeBytes(header.array()).writeBytes(FrameEncoder.bodyOf(frame));
      ctx.write(new BinaryWebSocketFrame(bytes), promise);
    }
    metrics.frameOut(frame.signal());
  }
}
