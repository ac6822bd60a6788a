package io.universepush.api.cluster;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.Operation;
import io.universepush.store.node.ConnectorNode;
import io.universepush.store.node.NodeDirectory;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The live connector nodes, as registered in ZooKeeper; admin listener only. */
@RestController
public class ClusterController {
  private final NodeDirectory nodes;

  public ClusterController(NodeDirectory nodes) {
    this.nodes = nodes;
  }

  @Operation(summary = "Live connector nodes, least loaded first (admin listener)")
  @GetMapping("/v1/cluster")
  public Cluster cluster() {
    List<Node> live = nodes.liveNodes().stream().map(Node::of).toList();
    return new Cluster(live.size(), live.stream().mapToLong(Node::connections).sum(), live);
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Cluster(int nodeCount, long connections, List<Node> nodes) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Node(
      String nodeId,
      String host,
      int tcpPort,
      int wsPort,
      int mqttPort,
      int dubboPort,
      int connections,
      int weight,
      Instant startedAt,
      int tlsPort) {
    static Node of(ConnectorNode node) {
      return new Node(
          node.nodeId(),
          node.host(),
          node.tcpPort(),
          node.wsPort(),
          node.mqttPort(),
          node.dubboPort(),
          node.connections(),
          node.weight(),
          Instant.ofEpochMilli(node.startedAtMs()),
          node.tlsPort());
    }
  }
}
