package io.universepush.store.node;

/**
 * One live connector as registered in ZooKeeper.
 *
 * @param tlsPort the device TCP port behind TLS, 0 when the node has none. Last, so nodes registered before it existed
 *     read as 0.
 */
public record ConnectorNode(
    String nodeId,
    String host,
    int tcpPort,
    int wsPort,
    int mqttPort,
    int dubboPort,
    int connections,
    int weight,
    long startedAtMs,
    int tlsPort) {

  /** A node without a TLS listener. */
  public ConnectorNode(
      String nodeId,
      String host,
      int tcpPort,
      int wsPort,
      int mqttPort,
      int dubboPort,
      int connections,
      int weight,
      long startedAtMs) {
    this(nodeId, host, tcpPort, wsPort, mqttPort, dubboPort, connections, weight, startedAtMs, 0);
  }

  /** Connections per unit of weight: lower is less loaded. */
  public double load() {
    return (double) connections / Math.max(1, weight);
  }
}
