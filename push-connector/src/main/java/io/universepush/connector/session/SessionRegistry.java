package io.universepush.connector.session;

import io.universepush.connector.metrics.ConnectorMetrics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * This node's sessions by reg id, and the reg ids bound here by app (fan-out finds its local audience there). A reg id
 * is bound to at most one session: the newest one.
 */
@Component
public class SessionRegistry {
  private final ConcurrentHashMap<String, Session> byRegId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> regIdsByApp = new ConcurrentHashMap<>();

  public SessionRegistry(ConnectorMetrics metrics) {
    metrics.gauge("push.connector.bindings", "Devices bound on this node", byRegId::size);
  }

  /** The session holding the device, or null. */
  public Session find(String regId) {
    return byRegId.get(regId);
  }

  /** Binds the device to the session; returns the session that held it before (to be taken over), or null. */
  Session put(String regId, String appId, Session session) {
    Session previous = byRegId.put(regId, session);
    // Indexed after the binding, so a concurrent removal by the previous session cannot unindex it.
    regIdsByApp.compute(
        appId,
        (id, regIds) -> {
          Set<String> indexed = regIds == null ? ConcurrentHashMap.newKeySet() : regIds;
          indexed.add(regId);
          return indexed;
        });
    return previous;
  }

  /** Unbinds only if the session still holds the device, so a takeover is never undone. */
  boolean remove(String regId, String appId, Session session) {
    if (!byRegId.remove(regId, session)) {
      return false;
    }
    if (appId != null) {
      regIdsByApp.computeIfPresent(
          appId,
          (id, regIds) -> {
            // A takeover may have bound the device again meanwhile: keep it indexed then.
            if (!byRegId.containsKey(regId)) {
              regIds.remove(regId);
            }
            return regIds.isEmpty() ? null : regIds;
          });
    }
    return true;
  }

  /** The reg ids of this app bound on this node (a snapshot; each still to be checked with {@link #find}). */
  public List<String> regIdsOf(String appId) {
    Set<String> regIds = regIdsByApp.get(appId);
    return regIds == null ? List.of() : List.copyOf(regIds);
  }

  public int bindings() {
    return byRegId.size();
  }
}
