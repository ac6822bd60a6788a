package io.universepush.api.device;

import io.universepush.api.cluster.ConnectorClient;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.message.MessageStore;
import io.universepush.store.route.Route;
import io.universepush.store.route.RouteStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes devices: their record, their pending messages, and the session of those online, closed at their node so
 * a deleted device cannot keep receiving on a connection it opened before.
 */
@Component
public class DeviceRemoval {
  private static final Logger log = LoggerFactory.getLogger(DeviceRemoval.class);
  private static final int CHUNK = 500;

  private final DeviceStore devices;
  private final RouteStore routes;
  private final MessageStore messages;
  private final ConnectorClient connectors;

  public DeviceRemoval(DeviceStore devices, RouteStore routes, MessageStore messages, ConnectorClient connectors) {
    this.devices = devices;
    this.routes = routes;
    this.messages = messages;
    this.connectors = connectors;
  }

  /** What a removal did. */
  public record Removed(int devices, int sessionsClosed) {}

  public Removed remove(String appId, Collection<String> regIds, String reason) {
    List<String> all = new ArrayList<>(regIds);
    int deleted = 0;
    int closed = 0;
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
      // Delete first: a device that reconnects between the kick and the delete would otherwise get back in.
      for (String regId : chunk) {
        if (devices.delete(appId, regId)) {
          deleted++;
        }
        messages.clearPending(regId);
      }
      for (Map.Entry<String, Route> online : routes.findAll(chunk).entrySet()) {
        Route route = online.getValue();
        if (appId.equals(route.appId()) && kick(route, reason)) {
          closed++;
        }
      }
    }
    return new Removed(deleted, closed);
  }

  private boolean kick(Route route, String reason) {
    try {
      return connectors.kick(route, reason);
    } catch (RuntimeException e) {
      // The device is deleted: its next CONNECT fails authentication, whatever happens to this session now.
      log.warn("could not close the session of {} at {}: {}", route.regId(), route.nodeId(), e.toString());
      routes.remove(route.regId(), route.nodeId());
      return false;
    }
  }
}
