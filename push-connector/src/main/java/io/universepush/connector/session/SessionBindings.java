package io.universepush.connector.session;

import io.universepush.connector.delivery.PendingFlusher;
import io.universepush.connector.node.LocalNode;
import io.universepush.connector.node.NodeAddress;
import io.universepush.connector.rpc.RemoteConnectors;
import io.universepush.connector.system.BlockingTasks;
import io.universepush.connector.system.ConnectorProperties;
import io.universepush.connector.wire.Disconnects;
import io.universepush.protocol.DisconnectReason;
import io.universepush.store.route.Route;
import io.universepush.store.route.RouteStore;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Binds devices to sessions and keeps the cluster's route table in step: a bound device gets a route naming this
 * node (TTL = idle timeout + margin, renewed by heartbeats), an older session for the same device is taken over
 * (here or, through Dubbo, on the node that held it), and its pending messages are flushed. Unbinding removes the
 * route, but only while it still names this session.
 *
 * <p>Methods marked "event loop" run on the session's event loop; store and Dubbo calls go to the blocking pool.
 */
@Component
public class SessionBindings {
  private static final Logger log = LoggerFactory.getLogger(SessionBindings.class);

  private final SessionRegistry registry;
  private final RouteStore routes;
  private final RemoteConnectors remote;
  private final PendingFlusher flusher;
  private final BlockingTasks blocking;
  private final LocalNode node;
  private final Duration ttlMargin;
  private final int maxBindings;

  public SessionBindings(
      SessionRegistry registry,
      RouteStore routes,
      RemoteConnectors remote,
      PendingFlusher flusher,
      BlockingTasks blocking,
      LocalNode node,
      ConnectorProperties properties) {
    this.registry = registry;
    this.routes = routes;
    this.remote = remote;
    this.flusher = flusher;
    this.blocking = blocking;
    this.node = node;
    this.ttlMargin = properties.routeTtlMargin();
    this.maxBindings = properties.maxBindingsPerConnection();
  }

  /** Event loop. A legacy binding: no platform, no fan-out catch-up. */
  public boolean bind(Session session, String appId, String regId) {
    return bind(session, appId, regId, null, null);
  }

  /**
   * Event loop. Binds the device to the session, takes it over from any older session, then (off the loop) writes
   * its route and flushes its pending messages, then its fan-out log after {@code fanoutCursor} (null: no catch-up,
   * as for legacy devices; "": from the device's registration). False when the session has no room for another
   * binding.
   */
  public boolean bind(Session session, String appId, String regId, String platform, String fanoutCursor) {
    if (!session.holds(regId) && session.bindingCount() >= maxBindings) {
      return false;
    }
    session.addBinding(regId, appId, platform);
    if (fanoutCursor != null) {
      session.startCatchUp(regId, fanoutCursor);
    }
    Session previous = registry.put(regId, appId, session);
    if (previous != null && previous != session) {
      previous
          .eventLoop()
          .execute(() -> drop(previous, regId, DisconnectReason.SESSION_TAKEN_OVER, "taken over by a newer connection"));
    }
    boolean queued =
        blocking.submit(
            "route of " + regId,
            () -> {
              try {
                writeRoute(session, appId, regId);
                flusher.flushNow(session, regId);
              } catch (RuntimeException e) {
                log.warn("{} could not be routed or flushed, closing its connection: {}", regId, e.toString());
                closeUnavailable(session);
              }
            });
    if (!queued) {
      closeUnavailable(session);
    }
    return true;
  }

  /**
   * A binding without its route or its pending flush would sit connected and receive nothing until some unrelated
   * event: the connection is closed instead, so the client reconnects (with its back-off) and binds again.
   */
  private static void closeUnavailable(Session session) {
    session
        .eventLoop()
        .execute(
            () ->
                Disconnects.close(
                    session.channel(),
                    session.version(),
                    DisconnectReason.SERVER_UNAVAILABLE,
                    "server temporarily unavailable, reconnect later"));
  }

  private void writeRoute(Session session, String appId, String regId) {
    if (registry.find(regId) != session) {
      return;
    }
    NodeAddress self = node.address();
    Optional<Route> replaced =
        routes.put(
            new Route(regId, appId, self.nodeId(), self.dubboHost(), self.dubboPort(), System.currentTimeMillis()),
            ttl(session));
    replaced
        .filter(old -> !old.nodeId().equals(self.nodeId()))
        .filter(old -> !(old.dubboHost().equals(self.dubboHost()) && old.dubboPort() == self.dubboPort()))
        .ifPresent(remote::kickTakenOver);
    if (registry.find(regId) != session) {
      // The device left (or moved) while the route was being written: do not leave a stale route behind.
      routes.remove(regId, self.nodeId());
    }
  }

  /**
   * Event loop. Removes one binding; the connection is closed with the reason when it was the last one (a connection
   * serving other apps keeps them).
   */
  public void drop(Session session, String regId, DisconnectReason reason, String text) {
    String appId = session.appOf(regId);
    if (!session.removeBinding(regId)) {
      return;
    }
    releaseRoute(session, appId, regId);
    log.debug("{} dropped from {}: {}", regId, session, reason);
    if (session.bindingCount() == 0) {
      Disconnects.close(session.channel(), session.version(), reason, text);
    }
  }

  /** Event loop, when the connection closed. */
  public void unbindAll(Session session) {
    session.bindings().forEach(
        (regId, appId) -> {
          session.removeBinding(regId);
          releaseRoute(session, appId, regId);
        });
  }

  /**
   * Event loop. The client logged out (DISCONNECT with clear_session): every binding is removed at once, with its
   * route, so nothing more is delivered to it here or routed to this node, before the connection closes.
   */
  public void logout(Session session) {
    log.debug("{} logs out", session);
    unbindAll(session);
  }

  private void releaseRoute(Session session, String appId, String regId) {
    if (registry.remove(regId, appId, session)) {
      String nodeId = node.nodeId();
      blocking.submit("route removal of " + regId, () -> routes.remove(regId, nodeId));
    }
  }

  /**
   * A heartbeat: renews the session's routes. A route that vanished (expired, Redis restarted, a removal that raced
   * a takeover on this node) is written again; one that names another node means the device moved: the binding is
   * dropped here.
   */
  public void renew(Session session) {
    var bindings = session.bindings();
    if (bindings.isEmpty()) {
      return;
    }
    blocking.submit(
        "route renewal",
        () -> {
          String nodeId = node.nodeId();
          Duration ttl = ttl(session);
          bindings.forEach(
              (regId, appId) -> {
                if (registry.find(regId) != session || routes.renew(regId, nodeId, ttl)) {
                  return;
                }
                Optional<Route> current = routes.find(regId);
                if (current.isEmpty()) {
                  writeRoute(session, appId, regId);
                } else if (!current.get().nodeId().equals(nodeId)) {
                  session
                      .eventLoop()
                      .execute(
                          () ->
                              drop(
                                  session,
                                  regId,
                                  DisconnectReason.SESSION_TAKEN_OVER,
                                  "taken over on node " + current.get().nodeId()));
                }
              });
        });
  }

  /** Any thread: closes the device's binding here, as asked by another node or by push-api. */
  public boolean kick(String appId, String regId, DisconnectReason reason, String text) {
    Session session = registry.find(regId);
    if (session == null || (appId != null && !appId.isEmpty() && !appId.equals(session.appOf(regId)))) {
      return false;
    }
    session.eventLoop().execute(() -> drop(session, regId, reason, text));
    return true;
  }

  private Duration ttl(Session session) {
    return Duration.ofMillis(session.idleTimeoutMs()).plus(ttlMargin);
  }
}
