package io.universepush.rpc.connector;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The outcomes of one {@link ConnectorService#deliver} batch, in the batch's order. */
public class DeliveryReport implements Serializable {
  private static final long serialVersionUID = 1L;

  private String nodeId;
  private List<DeliveryResult> results = new ArrayList<>();

  public DeliveryReport() {}

  public DeliveryReport(String nodeId, List<DeliveryResult> results) {
    this.nodeId = nodeId;
    this.results = results;
  }

  public String getNodeId() {
    return nodeId;
  }

  public void setNodeId(String nodeId) {
    this.nodeId = nodeId;
  }

  public List<DeliveryResult> getResults() {
    return results;
  }

  public void setResults(List<DeliveryResult> results) {
    this.results = results;
  }

  public long count(DeliveryOutcome outcome) {
    return results.stream().filter(r -> r.getOutcome() == outcome).count();
  }
}
