package io.universepush.connector.node;

import io.universepush.store.node.ConnectorNode;
import io.universepush.store.node.NodeDirectory;
import io.universepush.store.route.RouteStore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Clears the routes of connector nodes that left the directory, so pushes to their devices stop being aimed at a dead
 * node within its ZooKeeper session timeout instead of at route expiry (idle timeout + margin, minutes with long
 * heartbeats). Every live node follows the directory and clears a departed node's routes; the removal takes only
 * routes that still name that node, so it is idempotent and several survivors doing it at once is harmless. The
 * removal stamps each device's last-seen time ({@link RouteStore#removeAllOfNode}).
 *
 * <p>A node that only lost its ZooKeeper session for a moment (Curator registers it again) loses its routes too; its
 * sessions write them again at their next heartbeat, and meanwhile pushes to its devices wait in their pending sets.
 * This node's own view is trusted only while it sees itself in the directory: a cache emptied by this node's own
 * session trouble clears nothing.
 */
@Component
public class DepartedNodes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DepartedNodes.class);
  private static final long RETRY_SECONDS = 2;

  private final NodeDirectory directory;
  private final RouteStore routes;
  private final LocalNode self;
  private final ScheduledExecutorService clearing =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "connector-departed-nodes");
            thread.setDaemon(true);
            return thread;
          });
  /** Nodes seen live since this node started following; touched on the clearing thread only. */
  private final Set<String> known = new HashSet<>();
  private volatile boolean following;

  public DepartedNodes(NodeDirectory directory, RouteStore routes, LocalNode self) {
    this.directory = directory;
    this.routes = routes;
    this.self = self;
  }

  /** Starts following the directory; call once this node is registered. */
  public void follow() {
    following = true;
    directory.watch(this::changed);
    changed();
  }

  private void changed() {
    if (!following) {
      return;
    }
    try {
      clearing.execute(this::compare);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void compare() {
    List<ConnectorNode> live = directory.liveNodes();
    Set<String> ids = live.stream().map(ConnectorNode::nodeId).collect(Collectors.toSet());
    if (!ids.contains(self.nodeId())) {
      return; // this node's view is not current (its own registration is missing from it)
    }
    for (String nodeId : Set.copyOf(known)) {
      if (!ids.contains(nodeId)) {
        known.remove(nodeId);
        clear(nodeId);
      }
    }
    known.addAll(ids);
    known.remove(self.nodeId());
  }

  private void clear(String nodeId) {
    if (!following || directory.find(nodeId).isPresent()) {
      return; // back already (restarted under the same id): its routes are fresh
    }
    try {
      long started = System.nanoTime();
      int removed = routes.removeAllOfNode(nodeId);
      log.info(
          "connector node {} left the directory: {} route(s) of it removed in {} ms",
          nodeId,
          removed,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (RuntimeException e) {
      log.warn("routes of departed node {} not removed, retrying in {} s: {}", nodeId, RETRY_SECONDS, e.toString());
      try {
        clearing.schedule(() -> clear(nodeId), RETRY_SECONDS, TimeUnit.SECONDS);
      } catch (RejectedExecutionException closing) {
        // closing: the routes expire with their TTL
      }
    }
  }

  @Override
  public void close() {
    following = false;
    clearing.shutdownNow();
  }
}
