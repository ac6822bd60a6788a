package io.universepush.rpc.connector;

import java.util.List;

/**
 * Served by every connector node over Dubbo. Callers aim each call at the node that holds the devices (the route
 * table names it), so a call only ever concerns that node's own sessions.
 */
public interface ConnectorService {

  /**
   * Writes each delivery to its device's session on this node. Never throws for a device that is not here: the
   * result says {@link DeliveryOutcome#NOT_CONNECTED} and the caller keeps the message pending.
   */
  DeliveryReport deliver(List<Delivery> batch);

  /** Closes the device's session on this node, if any. True when a session was closed. */
  boolean kick(String appId, String regId, String reason);

  /** This node's identity and load. */
  NodeStats stats();
}
