package io.universepush.rpc.connector;

import java.io.Serializable;

/** A connector's identity and load, as it reports it. */
public class NodeStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private String nodeId;
  private int connections;
  private int bindings;
  private long deliveredTotal;
  private long startedAtMs;

  public NodeStats() {}

  public NodeStats(String nodeId, int connections, int bindings, long deliveredTotal, long startedAtMs) {
    this.nodeId = nodeId;
    this.connections = connections;
    this.bindings = bindings;
    this.deliveredTotal = deliveredTotal;
    this.startedAtMs = startedAtMs;
  }

  public String getNodeId() {
    return nodeId;
  }

  public void setNodeId(String nodeId) {
    this.nodeId = nodeId;
  }

  public int getConnections() {
    return connections;
  }

  public void setConnections(int connections) {
    this.connections = connections;
  }

  public int getBindings() {
    return bindings;
  }

  public void setBindings(int bindings) {
    this.bindings = bindings;
  }

  public long getDeliveredTotal() {
    return deliveredTotal;
  }

  public void setDeliveredTotal(long deliveredTotal) {
    this.deliveredTotal = deliveredTotal;
  }

  public long getStartedAtMs() {
    return startedAtMs;
  }

  public void setStartedAtMs(long startedAtMs) {
    this.startedAtMs = startedAtMs;
  }
}
