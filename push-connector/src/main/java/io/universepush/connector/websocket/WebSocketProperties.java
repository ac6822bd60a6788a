package io.universepush.connector.websocket;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The WebSocket device listener, under {@code universe.push.connector.websocket}: the same protocol and session as the
 * TCP listener, carried in WebSocket messages (docs/PROTOCOL.md, "WebSocket").
 *
 * @param enabled opens the WebSocket listener. Default true.
 * @param port WebSocket port; 0 picks a free port (tests). Default 9326.
 * @param path the only path that upgrades; other requests get 404. Default {@code /ws}.
 * @param maxFrameSize largest WebSocket message a client may send; beyond it the connection is closed with status
 *     1009. Default 64KB, the TCP body limit.
 * @param allowedOrigins when not empty, a handshake whose {@code Origin} header is not in this list gets 403; requests
 *     without an {@code Origin} (non-browser clients) are let through. Default empty: any origin.
 * @param tls serves the listener behind TLS ({@code wss://}) with the key of {@code universe.push.connector.tls}.
 *     Default false.
 */
@ConfigurationProperties("universe.push.connector.websocket")
public record WebSocketProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("9326") int port,
    @DefaultValue("/ws") String path,
    @DefaultValue("64KB") DataSize maxFrameSize,
    @DefaultValue({}) List<String> allowedOrigins,
    @DefaultValue("false") boolean tls) {

  public WebSocketProperties {
    require(port >= 0 && port <= 65535, "port must be 0..65535");
    require(path != null && path.startsWith("/"), "path must start with /");
    require(
        maxFrameSize.toBytes() > 0 && maxFrameSize.toBytes() <= Integer.MAX_VALUE, "max-frame-size out of range");
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
  }

  public int maxFrameBytes() {
    return (int) maxFrameSize.toBytes();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("universe.push.connector.websocket." + message);
    }
  }
}
