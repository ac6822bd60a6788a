package io.universepush.connector.wire;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Disconnect;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** DISCONNECT frames in each version's body format, and closing a connection after one. */
public final class Disconnects {
  private static final long CLOSE_GRACE_SECONDS = 5;

  private Disconnects() {}

  /** Version 3: a {@code Disconnect} message; versions 1 and 2: the reason as plain text. Sub-signal: the code. */
  public static Frame frame(ProtocolVersion version, DisconnectReason reason, String text) {
    return frame(version, reason, text, List.of());
  }

  /**
   * As {@link #frame(ProtocolVersion, DisconnectReason, String)}, naming the connectors to reconnect to ("host:port",
   * best first) in {@code Disconnect.redirect}; versions 1 and 2 have no field for them.
   */
  public static Frame frame(ProtocolVersion version, DisconnectReason reason, String text, List<String> redirect) {
    String body = text == null ? "" : text;
    if (version == ProtocolVersion.V3) {
      return Frame.v3(
          Signal.DISCONNECT,
          reason.code(),
          0,
          Disconnect.newBuilder().setReasonCode(reason.code()).setReason(body).addAllRedirect(redirect).build());
    }
    return Frame.text(version, Signal.DISCONNECT, reason.code(), 0, body);
  }

  /**
   * Writes the DISCONNECT and closes once it is written (or could not be). Inbound reading stops at once, so
   * nothing the client sends after this is acted upon.
   */
  public static void close(Channel channel, ProtocolVersion version, DisconnectReason reason, String text) {
    close(channel, version, reason, text, List.of());
  }

  /** As {@link #close(Channel, ProtocolVersion, DisconnectReason, String)}, with where to reconnect. */
  public static void close(
      Channel channel, ProtocolVersion version, DisconnectReason reason, String text, List<String> redirect) {
    channel.config().setAutoRead(false);
    if (!channel.isActive()) {
      channel.close();
      return;
    }
    channel.writeAndFlush(frame(version, reason, text, redirect)).addListener(ChannelFutureListener.CLOSE);
    // A peer that stops reading could hold the write, and so the close, forever.
    channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
  }
}
