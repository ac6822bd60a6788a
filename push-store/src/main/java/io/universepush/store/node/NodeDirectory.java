package io.universepush.store.node;

import java.util.List;
import java.util.Optional;

/** Live connector nodes, discovered through ZooKeeper (ephemeral registrations vanish with their node). */
public interface NodeDirectory {
  /** Registers this node; the registration lives as long as the ZooKeeper session. */
  void register(ConnectorNode node);

  /** Publishes a new load figure for a registered node. */
  void update(ConnectorNode node);

  void unregister(String nodeId);

  /** Every live node, least loaded first. */
  List<ConnectorNode> liveNodes();

  Optional<ConnectorNode> find(String nodeId);

  /**
   * Calls the listener, on a thread of the directory's, whenever a node appears, changes or disappears (a dead
   * node's registration vanishes when its ZooKeeper session expires). The listener reads {@link #liveNodes()} to
   * see what changed; it must not block for long.
   */
  void watch(Runnable onChange);
}
