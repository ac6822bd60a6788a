package io.universepush.connector.connection;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.node.LocalNode;
import io.universepush.connector.session.DeviceSession;
import io.universepush.connector.session.SessionSettings;
import io.universepush.connector.wire.ProtocolViolations;
import java.time.Clock;
import org.springframework.stereotype.Component;

/** Makes the {@link DeviceConnection} of each device channel, with a fresh session under the node's settings. */
@Component
public class DeviceConnections {
  private static final AttributeKey<DeviceConnection> KEY = AttributeKey.valueOf("universepush.connection");

  private final SessionSettings settings;
  private final SessionEffects effects;
  private final LocalNode node;
  private final Clock clock;
  private final ProtocolViolations violations;
  private final ConnectorMetrics metrics;

  public DeviceConnections(
      SessionSettings settings,
      SessionEffects effects,
      LocalNode node,
      Clock clock,
      ProtocolViolations violations,
      ConnectorMetrics metrics) {
    this.settings = settings;
    this.effects = effects;
    this.node = node;
    this.clock = clock;
    this.violations = violations;
    this.metrics = metrics;
  }

  DeviceConnection open(Channel channel) {
    DeviceConnection connection =
        new DeviceConnection(
            channel,
            new DeviceSession(settings, clock, node.isStarted() ? node.nodeId() : ""),
            effects,
            clock,
            violations,
            metrics);
    channel.attr(KEY).set(connection);
    return connection;
  }

  /** The connection of a device channel, or null (refused before its pipeline was built). */
  public static DeviceConnection of(Channel channel) {
    return channel.attr(KEY).get();
  }
}
