package io.universepush.connector.tls;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.universepush.connector.metrics.ConnectorMetrics;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@code SslHandler}: logs and counts failed handshakes (plain text on the TLS port, untrusted or
 * expired certificates on the client side, timeouts) and keeps the TLS errors that follow them from reaching the
 * session handler as "unexpected". The {@code SslHandler} closes the connection itself; others are not affected.
 */
@ChannelHandler.Sharable
public final class TlsHandshakeHandler extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(TlsHandshakeHandler.class);

  private final ConnectorMetrics metrics;

  public TlsHandshakeHandler(ConnectorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof SslHandshakeCompletionEvent completion && !completion.isSuccess()) {
      metrics.tlsHandshakeFailure();
      log.info("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), reason(completion.cause()));
      ctx.close();
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (isTlsError(cause)) {
      // Already reported by the handshake event (or a broken record later on): the device's problem, not ours.
      log.debug("TLS error on {}: {}", ctx.channel().remoteAddress(), reason(cause));
      ctx.close();
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  private static boolean isTlsError(Throwable cause) {
    return cause instanceof SSLException
        || (cause instanceof DecoderException && cause.getCause() instanceof SSLException)
        || cause instanceof io.netty.handler.ssl.NotSslRecordException;
  }

  private static String reason(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /**
   * Puts TLS in front of a device pipeline: the {@code SslHandler} with its handshake timeout, then this handler to
   * count and log failed handshakes. Every TLS listener (TCP, WebSocket, MQTT) starts its pipeline this way.
   */
  public void addTo(ChannelPipeline pipeline, SslContext sslContext, long handshakeTimeoutMs) {
    SslHandler ssl = sslContext.newHandler(pipeline.channel().alloc());
    ssl.setHandshakeTimeoutMillis(handshakeTimeoutMs);
    pipeline.addLast("tls", ssl);
    pipeline.addLast("tls-handshake", this);
  }
}
