package io.universepush.store.route;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The route table: which connector holds each online device. Entries expire unless renewed by heartbeats. */
public interface RouteStore {
  /** Sets the route, replacing any other node's. Returns the route it replaced, if another node held it. */
  Optional<Route> put(Route route, Duration ttl);

  /**
   * {@link #put} for many routes with one TTL, one answer per route in order; the Redis store writes them in one
   * pipelined round trip (a reconnect storm binding thousands of devices). The default puts them one by one.
   */
  default List<Optional<Route>> putAll(List<Route> routes, Duration ttl) {
    List<Optional<Route>> replaced = new java.util.ArrayList<>(routes.size());
    for (Route route : routes) {
      replaced.add(put(route, ttl));
    }
    return replaced;
  }

  /** Renews the TTL only if the route still names this node. False when it does not (taken over or expired). */
  boolean renew(String regId, String nodeId, Duration ttl);

  /** Removes the route only if it still names this node, so a takeover on another node is never undone. */
  boolean remove(String regId, String nodeId);

  Optional<Route> find(String regId);

  /**
   * When the device was last known connected, in epoch millis: its latest route write or heartbeat while online, the
   * moment its route was removed after that. Empty when it never connected, or not within the retention period.
   */
  OptionalLong lastSeen(String regId);

  /** The routes of the online ones among these reg ids (one round trip). */
  Map<String, Route> findAll(Collection<String> regIds);

  /** Number of routes held by a node (approximate under churn). */
  long countByNode(String nodeId);

  /** Removes every route that names the node, for survivors cleaning up after a dead connector. */
  int removeAllOfNode(String nodeId);
}
