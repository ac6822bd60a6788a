package io.universepush.connector.websocket;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket messages into what the device pipeline reads on TCP: a binary message's bytes go to the frame decoder
 * (which is incremental, so a frame may span messages), a text message's JSON becomes a {@link Frame} (which the
 * frame decoder passes on). A text message that is not valid JSON, or names no known signal, closes the connection
 * with a WebSocket close frame (1007 / 1008) and its reason. Per connection.
 */
final class WebSocketInboundAdapter extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(WebSocketInboundAdapter.class);

  private final ConnectorMetrics metrics;
  private boolean closing;

  WebSocketInboundAdapter(ConnectorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof BinaryWebSocketFrame binary) {
      WebSocketForm.seen(ctx.channel(), WebSocketForm.BINARY);
      // Ownership of the content passes to the frame decoder, which releases it.
      ctx.fireChannelRead(binary.content());
      return;
    }
    if (msg instanceof TextWebSocketFrame text) {
      WebSocketForm.seen(ctx.channel(), WebSocketForm.TEXT);
      String json;
      try {
        json = text.text();
      } finally {
        text.release();
      }
      readJson(ctx, json);
      return;
    }
    // Ping, pong and close are answered by Netty's protocol handler before this one; nothing else is expected.
    ReferenceCountUtil.release(msg);
  }

  private void readJson(ChannelHandlerContext ctx, String json) {
    Frame frame;
    try {
      frame = WebSocketJson.toFrame(json);
    } catch (WebSocketJson.InvalidJson e) {
      metrics.protocolError(e.unknownSignal() ? ProtocolError.UNKNOWN_SIGNAL : ProtocolError.MALFORMED_BODY);
      close(
          ctx,
          e.unknownSignal() ? WebSocketCloseStatus.POLICY_VIOLATION : WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
          e.getMessage());
      return;
    }
    metrics.frameIn(frame.signal());
    ctx.fireChannelRead(frame);
  }

  /** Oversize and corrupt WebSocket frames, failed handshakes: the client's problem, closed with a status. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      close(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "message too large");
    } else if (cause instanceof CorruptedWebSocketFrameException || cause instanceof WebSocketHandshakeException) {
      log.debug("closing WebSocket {}: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  private void close(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    log.info("closing WebSocket {}: {} {}", ctx.channel().remoteAddress(), status.code(), reason);
    ctx.channel().config().setAutoRead(false);
    // A close reason is limited to 123 bytes of UTF-8.
    String shortReason = reason.length() > 100 ? reason.substring(0, 100) : reason;
    ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), shortReason)).addListener(ChannelFutureListener.CLOSE);
  }
}
