package io.universepush.connector.wire;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.ProtocolException;
import io.universepush.protocol.ProtocolVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Ends a connection that broke the protocol: stops reading, tells the client why in a DISCONNECT (PROTOCOL_ERROR),
 * logs once with the peer's address and counts the error by type. Only that connection is affected.
 */
@Component
public class ProtocolViolations {
  private static final Logger log = LoggerFactory.getLogger(ProtocolViolations.class);
  private static final AttributeKey<Boolean> REPORTED = AttributeKey.valueOf("universepush.protocolViolation");

  private final ConnectorMetrics metrics;

  public ProtocolViolations(ConnectorMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * @param version the version to answer in (the client's, as far as it is known)
   * @param violation what was wrong; its message (prefixed with the error type) is the DISCONNECT reason
   */
  public void reject(Channel channel, ProtocolVersion version, ProtocolException violation) {
    if (channel.attr(REPORTED).setIfAbsent(Boolean.TRUE) != null) {
      return;
    }
    String detail = violation.getMessage();
    metrics.protocolError(violation.error());
    // INFO, not WARN: malformed input from the internet (scanners, old clients) is routine, not a server fault.
    log.info("closing {}: {}", channel.remoteAddress(), detail);
    Disconnects.close(channel, version, DisconnectReason.PROTOCOL_ERROR, detail);
  }

  /** Shorthand for a violation found after decoding (a body or a frame the state does not allow). */
  public void reject(Channel channel, ProtocolVersion version, ProtocolError error, String message) {
    reject(channel, version, new ProtocolException(error, message));
  }

  /** Counts and logs a stream that ended inside a frame; the connection is already gone. */
  public void truncated(Channel channel, ProtocolException violation) {
    metrics.protocolError(violation.error());
    log.info("{} closed mid-frame: {}", channel.remoteAddress(), violation.getMessage());
  }
}
