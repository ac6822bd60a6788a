package io.universepush.connector.session;

import io.universepush.connector.metrics.ConnectorMetrics;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** This node's sessions by reg id. A reg id is bound to at most one session: the newest one. */
@Component
public class SessionRegistry {
  private final ConcurrentHashMap<String, Session> byRegId = new ConcurrentHashMap<>();

  public SessionRegistry(ConnectorMetrics metrics) {
    metrics.gauge("push.connector.bindings", "Devices bound on this node", byRegId::size);
  }

  /** The session holding the device, or null. */
  public Session find(String regId) {
    return byRegId.get(regId);
  }

  /** Binds the device to the session; returns the session that held it before (to be taken over), or null. */
  Session put(String regId, Session session) {
    return byRegId.put(regId, session);
  }

  /** Unbinds only if the session still holds the device, so a takeover is never undone. */
  boolean remove(String regId, Session session) {
    return byRegId.remove(regId, session);
  }

  public int bindings() {
    return byRegId.size();
  }
}
