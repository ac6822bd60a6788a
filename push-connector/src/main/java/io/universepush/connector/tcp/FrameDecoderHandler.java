package io.universepush.connector.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.connection.DeviceConnection;
import io.universepush.connector.connection.DeviceConnections;
import io.universepush.connector.wire.ProtocolViolations;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameDecoder;
import io.universepush.protocol.ProtocolException;
import io.universepush.protocol.ProtocolVersion;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Bytes to {@link Frame}s, through push-protocol's incremental {@link FrameDecoder} (which checks magic, version,
 * signal and length as soon as their bytes arrive, so an oversize frame is refused before it is buffered).
 *
 * <p>A malformed stream never raises an exception into the pipeline: the connection stops reading, gets a DISCONNECT
 * naming the error and is closed. Per connection (not sharable): it holds the connection's unread bytes.
 */
public final class FrameDecoderHandler extends ByteToMessageDecoder {
  private final FrameDecoder decoder;
  private final ProtocolViolations violations;
  private final ConnectorMetrics metrics;
  private ProtocolVersion lastVersion;
  private boolean failed;

  public FrameDecoderHandler(FrameDecoder decoder, ProtocolViolations violations, ConnectorMetrics metrics) {
    this.decoder = decoder;
    this.violations = violations;
    this.metrics = metrics;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    ByteBuffer view = in.nioBuffer();
    try {
      Frame frame = decoder.decode(view);
      if (frame == null) {
        return;
      }
      in.skipBytes(view.position());
      lastVersion = frame.version();
      metrics.frameIn(frame.signal());
      out.add(frame);
    } catch (ProtocolException e) {
      failed = true;
      ProtocolVersion version = replyVersion(ctx, in);
      in.skipBytes(in.readableBytes());
      violations.reject(ctx.channel(), version, e);
    }
  }

  /** The stream ended: leftover bytes are the start of a frame that never completed. */
  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed || !in.isReadable()) {
      return;
    }
    try {
      decoder.checkEndOfStream(in.nioBuffer());
    } catch (ProtocolException e) {
      violations.truncated(ctx.channel(), e);
    } finally {
      in.skipBytes(in.readableBytes());
    }
  }

  /**
   * The version to explain an error in: the session's, else the last good frame's, else the offending frame's own
   * version byte if valid, else 3.
   */
  private ProtocolVersion replyVersion(ChannelHandlerContext ctx, ByteBuf in) {
    DeviceConnection connection = DeviceConnections.of(ctx.channel());
    if (connection != null && connection.version() != null) {
      return connection.version();
    }
    if (lastVersion != null) {
      return lastVersion;
    }
    if (in.readableBytes() >= 2) {
      ProtocolVersion stated = ProtocolVersion.fromByte(in.getUnsignedByte(in.readerIndex() + 1));
      if (stated != null) {
        return stated;
      }
    }
    return ProtocolVersion.V3;
  }
}
