package io.universepush.subscribe.route;

import io.universepush.rpc.subscribe.ConnectorEndpoint;
import io.universepush.store.node.ConnectorNode;
import io.universepush.store.node.NodeDirectory;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/** Picks the connectors a device should connect to: every live node, the least loaded first. */
@Component
public class ConnectorRouter {
  private static final Comparator<ConnectorNode> LEAST_LOADED_FIRST =
      Comparator.comparingDouble(ConnectorNode::load).thenComparing(ConnectorNode::nodeId);

  private final NodeDirectory nodes;

  public ConnectorRouter(NodeDirectory nodes) {
    this.nodes = nodes;
  }

  /**
   * Every live node rather than only the best one, so a client whose first choice is unreachable can try the next
   * without another round trip.
   */
  public List<ConnectorEndpoint> route() {
    return nodes.liveNodes().stream().sorted(LEAST_LOADED_FIRST).map(ConnectorRouter::endpoint).toList();
  }

  private static ConnectorEndpoint endpoint(ConnectorNode node) {
    ConnectorEndpoint endpoint = new ConnectorEndpoint(
        node.nodeId(),
        node.host(),
        node.tcpPort(),
        node.wsPort(),
        node.mqttPort(),
        node.connections(),
        node.weight());
    endpoint.setTlsPort(node.tlsPort());
    return endpoint;
  }
}
