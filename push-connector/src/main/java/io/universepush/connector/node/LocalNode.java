package io.universepush.connector.node;

import org.springframework.stereotype.Component;

/**
 * This node's identity. Set once at startup, before the TCP server accepts its first connection, so sessions never
 * see it unset.
 */
@Component
public class LocalNode {
  private volatile NodeAddress address;

  void set(NodeAddress address) {
    this.address = address;
  }

  /** The node's address; fails before startup completed. */
  public NodeAddress address() {
    NodeAddress current = address;
    if (current == null) {
      throw new IllegalStateException("the connector node has not started yet");
    }
    return current;
  }

  public boolean isStarted() {
    return address != null;
  }

  public String nodeId() {
    return address().nodeId();
  }
}
