package io.universepush.connector.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rates a client controls on a connector node, under {@code universe.push.connector.limits}. The connection count
 * limit is {@code universe.push.connector.max-connections} (it is also the node's load figure, so it stays there).
 *
 * @param framesPerSecond frames one connection may send per second, sustained; beyond the burst the connection gets
 *     DISCONNECT RATE_LIMITED and is closed. Default 50.
 * @param frameBurst frames one connection may send at once before the sustained rate applies. Default 200.
 * @param acksPerSecond PUB_ACK frames one connection may send per second, sustained, counted apart from other frames:
 *     a device acks what the server pushed (legacy clients one frame per message), so its rate follows the server's
 *     own push rate rather than the client's will. Default 2000.
 * @param ackBurst PUB_ACK frames at once. Default 5000.
 * @param handshakesPerSecond new connections this node accepts per second (burst the same); further ones are closed
 *     at once, before any byte is read. Default 20000: a dead node's devices arrive at a survivor all at once, and
 *     2000 refused a quarter of a 19,000-device storm that the node could admit (docs/PROTOCOL.md, limits).
 */
@ConfigurationProperties("universe.push.connector.limits")
public record ConnectorLimits(
    @DefaultValue("50") int framesPerSecond,
    @DefaultValue("200") int frameBurst,
    @DefaultValue("2000") int acksPerSecond,
    @DefaultValue("5000") int ackBurst,
    @DefaultValue("20000") int handshakesPerSecond) {

  public ConnectorLimits {
    require(framesPerSecond > 0, "frames-per-second must be positive");
    require(frameBurst > 0, "frame-burst must be positive");
    require(acksPerSecond > 0, "acks-per-second must be positive");
    require(ackBurst > 0, "ack-burst must be positive");
    require(handshakesPerSecond > 0, "handshakes-per-second must be positive");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("universe.push.connector.limits." + message);
    }
  }
}
