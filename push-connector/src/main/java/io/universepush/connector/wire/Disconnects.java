package io.universepush.connector.wire;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Disconnect;
import java.util.concurrent.TimeUnit;

/** DISCONNECT frames in each version's body format, and closing a connection after one. */
public final class Disconnects {
  private static final long CLOSE_GRACE_SECONDS = 5;

  private Disconnects() {}

  /** Version 3: a {@code Disconnect} message; versions 1 and 2: the reason as plain text. Sub-signal: the code. */
  public static Frame frame(ProtocolVersion version, DisconnectReason reason, String text) {
    String body = text == null ? "" : text;
    if (version == ProtocolVersion.V3) {
      return Frame.v3(
          Signal.DISCONNECT,
          reason.code(),
          0,
          Disconnect.newBuilder().setReasonCode(reason.code()).setReason(body).build());
    }
    return Frame.text(version, Signal.DISCONNECT, reason.code(), 0, body);
  }

  /**
   * Writes the DISCONNECT and closes once it is written (or could not be). Inbound reading stops at once, so
   * nothing the client sends after this is acted upon.
   */
  public static void close(Channel channel, ProtocolVersion version, DisconnectReason reason, String text) {
    channel.config().setAutoRead(false);
    if (!channel.isActive()) {
      channel.close();
      return;
    }
    channel.writeAndFlush(frame(version, reason, text)).addListener(ChannelFutureListener.CLOSE);
    // A peer that stops reading could hold the write, and so the close, forever.
    channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
  }
}
