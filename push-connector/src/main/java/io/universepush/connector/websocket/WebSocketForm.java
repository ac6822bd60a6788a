package io.universepush.connector.websocket;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/** How a WebSocket client frames its messages; the server answers in the form the client used first. */
enum WebSocketForm {
  /** The 10-byte header and body of the TCP protocol in binary messages. */
  BINARY,
  /** JSON envelopes in text messages. */
  TEXT;

  private static final AttributeKey<WebSocketForm> KEY = AttributeKey.valueOf("universepush.webSocketForm");

  /** Records the form of the client's first message; later messages do not change it. */
  static void seen(Channel channel, WebSocketForm form) {
    channel.attr(KEY).setIfAbsent(form);
  }

  /** The client's form, binary until it has sent something. */
  static WebSocketForm of(Channel channel) {
    WebSocketForm form = channel.attr(KEY).get();
    return form == null ? BINARY : form;
  }
}
