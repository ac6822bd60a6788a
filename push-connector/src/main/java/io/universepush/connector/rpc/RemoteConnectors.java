package io.universepush.connector.rpc;

import io.universepush.connector.system.DubboReferences;
import io.universepush.protocol.DisconnectReason;
import io.universepush.rpc.connector.ConnectorService;
import io.universepush.store.node.NodeDirectory;
import io.universepush.store.route.Route;
import org.apache.dubbo.rpc.cluster.specifyaddress.Address;
import org.apache.dubbo.rpc.cluster.specifyaddress.UserSpecifiedAddressUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/** Calls to other connector nodes, each aimed at the node a route names. Blocking: call off the event loop. */
@Component
public class RemoteConnectors {
  private static final Logger log = LoggerFactory.getLogger(RemoteConnectors.class);

  private final ConnectorService connectors;
  private final NodeDirectory directory;

  public RemoteConnectors(
      @Qualifier(DubboReferences.REMOTE_CONNECTORS) ConnectorService connectors, NodeDirectory directory) {
    this.connectors = connectors;
    this.directory = directory;
  }

  /**
   * Asks the node of a replaced route to close its session for the device. Failures are only logged: that node's
   * route is already overwritten, and its session ends at its next heartbeat renewal at the latest. A node gone from
   * the directory (the usual case after a failover: its devices reconnect here) is not called, so reconnecting
   * devices do not wait on calls to a dead node.
   */
  public void kickTakenOver(Route previous) {
    if (directory.find(previous.nodeId()).isEmpty()) {
      log.debug("not kicking {} on departed node {}", previous.regId(), previous.nodeId());
      return;
    }
    try {
      UserSpecifiedAddressUtil.setAddress(new Address(previous.dubboHost(), previous.dubboPort(), false));
      boolean closed =
          connectors.kick(previous.appId(), previous.regId(), DisconnectReason.SESSION_TAKEN_OVER.name());
      log.debug("kicked {} on {}: {}", previous.regId(), previous.nodeId(), closed);
    } catch (RuntimeException e) {
      log.info(
          "could not kick {} on node {} ({}:{}): {}",
          previous.regId(),
          previous.nodeId(),
          previous.dubboHost(),
          previous.dubboPort(),
          e.getMessage());
    }
  }
}
