package io.universepush.group.support;

import io.universepush.rpc.connector.ConnectorService;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.rpc.connector.DeliveryResult;
import io.universepush.rpc.connector.NodeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A connector node without sockets: it records every batch and kick it receives over Dubbo, and reports WRITTEN for
 * the devices marked connected to it, NOT_CONNECTED for the others (as a real node does for a stale route).
 */
public final class RecordingConnector implements ConnectorService {
  private final String nodeId;
  private final Set<String> connected = ConcurrentHashMap.newKeySet();
  private final List<List<Delivery>> batches = new CopyOnWriteArrayList<>();
  private final List<String> kicks = new CopyOnWriteArrayList<>();

  public RecordingConnector(String nodeId) {
    this.nodeId = nodeId;
  }

  public String nodeId() {
    return nodeId;
  }

  public void connect(String regId) {
    connected.add(regId);
  }

  public List<List<Delivery>> batches() {
    return List.copyOf(batches);
  }

  public List<Delivery> deliveries() {
    List<Delivery> all = new ArrayList<>();
    batches.forEach(all::addAll);
    return all;
  }

  public List<Delivery> deliveriesTo(String regId) {
    return deliveries().stream().filter(d -> regId.equals(d.getRegId())).toList();
  }

  /** "appId/regId" of every kick. */
  public List<String> kicks() {
    return List.copyOf(kicks);
  }

  @Override
  public DeliveryReport deliver(List<Delivery> batch) {
    batches.add(List.copyOf(batch));
    List<DeliveryResult> results = new ArrayList<>();
    for (Delivery delivery : batch) {
      DeliveryOutcome outcome =
          connected.contains(delivery.getRegId()) ? DeliveryOutcome.WRITTEN : DeliveryOutcome.NOT_CONNECTED;
      results.add(new DeliveryResult(delivery.getMsgId(), delivery.getRegId(), outcome));
    }
    return new DeliveryReport(nodeId, results);
  }

  @Override
  public boolean kick(String appId, String regId, String reason) {
    kicks.add(appId + "/" + regId);
    return connected.remove(regId);
  }

  @Override
  public NodeStats stats() {
    return new NodeStats(nodeId, connected.size(), connected.size(), 0, 0);
  }
}
