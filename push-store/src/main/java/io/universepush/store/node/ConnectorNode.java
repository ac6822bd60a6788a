package io.universepush.store.node;

/** One live connector as registered in ZooKeeper. */
public record ConnectorNode(
    String nodeId,
    String host,
    int tcpPort,
    int wsPort,
    int mqttPort,
    int dubboPort,
    int connections,
    int weight,
    long startedAtMs) {

  /** Connections per unit of weight: lower is less loaded. */
  public double load() {
    return (double) connections / Math.max(1, weight);
  }
}
