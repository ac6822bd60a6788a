package io.universepush.connector.connection;

import io.universepush.connector.metrics.ConnectorMetrics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * This node's bound devices: by reg id the connection holding each (the newest one), and by app the reg ids bound
 * here (fan-out finds its local audience there). Thread-safe: Dubbo deliveries, fan-out and the store's answers read
 * and write it from their threads.
 */
@Component
public class SessionRegistry {
  private final ConcurrentHashMap<String, LocalBinding> byRegId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> regIdsByApp = new ConcurrentHashMap<>();

  /** One device bound here: its connection, its app and platform (fan-out filters). */
  public record LocalBinding(DeviceConnection connection, String appId, String regId, String platform) {}

  public SessionRegistry(ConnectorMetrics metrics) {
    metrics.gauge("push.connector.bindings", "Devices bound on this node", byRegId::size);
  }

  /** The binding of the device here, or null. */
  public LocalBinding find(String regId) {
    return byRegId.get(regId);
  }

  /** Binds the device to the connection; returns the binding it replaces (to be taken over), or null. */
  LocalBinding put(LocalBinding binding) {
    LocalBinding previous = byRegId.put(binding.regId(), binding);
    // Indexed after the binding, so a concurrent removal by the previous connection cannot unindex it.
    regIdsByApp.compute(
        binding.appId(),
        (id, regIds) -> {
          Set<String> indexed = regIds == null ? ConcurrentHashMap.newKeySet() : regIds;
          indexed.add(binding.regId());
          return indexed;
        });
    return previous;
  }

  /** Whether the device is bound to this connection. */
  boolean holds(String regId, DeviceConnection connection) {
    LocalBinding binding = byRegId.get(regId);
    return binding != null && binding.connection() == connection;
  }

  /** Unbinds only if the connection still holds the device, so a takeover is never undone. */
  boolean remove(String regId, String appId, DeviceConnection connection) {
    LocalBinding current = byRegId.get(regId);
    if (current == null || current.connection() != connection || !byRegId.remove(regId, current)) {
      return false;
    }
    regIdsByApp.computeIfPresent(
        appId,
        (id, regIds) -> {
          // A takeover may have bound the device again meanwhile: keep it indexed then.
          if (!byRegId.containsKey(regId)) {
            regIds.remove(regId);
          }
          return regIds.isEmpty() ? null : regIds;
        });
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
