package io.universepush.connector.rpc;

import io.universepush.connector.delivery.LocalDeliveries;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.node.LocalNode;
import io.universepush.connector.connection.SessionRegistry;
import io.universepush.connector.tcp.Connections;
import io.universepush.protocol.DisconnectReason;
import io.universepush.rpc.connector.ConnectorService;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.rpc.connector.NodeStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.dubbo.config.annotation.DubboService;

/** This node's {@link ConnectorService}: callers aim each call at this node through the route table. */
@DubboService
public class ConnectorServiceProvider implements ConnectorService {
  private final LocalDeliveries deliveries;
  private final SessionRegistry registry;
  private final Connections connections;
  private final LocalNode node;
  private final ConnectorMetrics metrics;

  public ConnectorServiceProvider(
      LocalDeliveries deliveries,
      SessionRegistry registry,
      Connections connections,
      LocalNode node,
      ConnectorMetrics metrics) {
    this.deliveries = deliveries;
    this.registry = registry;
    this.connections = connections;
    this.node = node;
    this.metrics = metrics;
  }

  @Override
  public DeliveryReport deliver(List<Delivery> batch) {
    // A mutable list: immutable JDK collections do not survive every Dubbo serialization.
    return new DeliveryReport(
        nodeIdOrEmpty(), new ArrayList<>(deliveries.deliver(batch == null ? List.of() : batch)));
  }

  /** The reason may name a {@link DisconnectReason} (e.g. APP_REMOVED); anything else counts as a takeover. */
  @Override
  public boolean kick(String appId, String regId, String reason) {
    if (regId == null) {
      return false;
    }
    DisconnectReason code = DisconnectReason.SESSION_TAKEN_OVER;
    if (reason != null) {
      for (DisconnectReason candidate : DisconnectReason.values()) {
        if (candidate.name().equalsIgnoreCase(reason.trim())) {
          code = candidate;
        }
      }
    }
    SessionRegistry.LocalBinding binding = registry.find(regId);
    if (binding == null || (appId != null && !appId.isEmpty() && !appId.equals(binding.appId()))) {
      return false;
    }
    DisconnectReason why = code;
    String text = reason == null ? code.name() : reason;
    binding.connection().execute(session -> session.kick(regId, why, text));
    return true;
  }

  @Override
  public NodeStats stats() {
    return new NodeStats(
        nodeIdOrEmpty(),
        connections.count(),
        registry.bindings(),
        metrics.deliveredTotal(),
        node.isStarted() ? node.address().startedAtMs() : 0);
  }

  private String nodeIdOrEmpty() {
    return node.isStarted() ? node.nodeId() : "";
  }
}
