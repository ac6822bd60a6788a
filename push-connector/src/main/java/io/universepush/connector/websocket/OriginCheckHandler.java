package io.universepush.connector.websocket;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses handshakes from browser pages of other origins with 403. Requests without an {@code Origin} header come from
 * non-browser clients, which can claim any origin anyway, and pass.
 */
@Sharable
final class OriginCheckHandler extends ChannelInboundHandlerAdapter {
  private final Set<String> allowed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  OriginCheckHandler(List<String> allowedOrigins) {
    allowed.addAll(allowedOrigins);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest request) {
      String origin = request.headers().get(HttpHeaderNames.ORIGIN);
      if (origin != null && !allowed.contains(origin)) {
        request.release();
        HttpNotFoundHandler.respond(ctx, HttpResponseStatus.FORBIDDEN);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }
}
