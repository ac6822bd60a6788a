package io.universepush.standalone;

import java.io.IOException;
import java.net.ServerSocket;

/** Every port a one-process cluster listens on. */
public record ClusterPorts(
    int zookeeper,
    int redis,
    int connectorTcp,
    int connectorWebSocket,
    int connectorMqtt,
    int connectorDubbo,
    int subscribeDubbo,
    int apiHttp,
    int apiAdmin,
    int groupHttp,
    int groupDubbo) {

  /** The documented defaults (docs/OPERATIONS.md). */
  public static ClusterPorts defaults() {
    return new ClusterPorts(2181, 6379, 6789, 9326, 1883, 7461, 7462, 8080, 8090, 8081, 7463);
  }

  /** Free ports picked now, for tests that run beside other suites. */
  public static ClusterPorts random() {
    return new ClusterPorts(
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort());
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
