package io.universepush.sdk;

/** A connector node's client-facing address, as the HTTP API lists it. Immutable. */
public final class ConnectorEndpoint {
  private final String host;
  private final int tcpPort;
  private final int wsPort;
  private final int mqttPort;

  /** Ports are 0 when the connector does not serve that transport. */
  public ConnectorEndpoint(String host, int tcpPort, int wsPort, int mqttPort) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host is required");
    }
    this.host = host;
    this.tcpPort = tcpPort;
    this.wsPort = wsPort;
    this.mqttPort = mqttPort;
  }

  public String host() {
    return host;
  }

  public int tcpPort() {
    return tcpPort;
  }

  public int wsPort() {
    return wsPort;
  }

  public int mqttPort() {
    return mqttPort;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ConnectorEndpoint)) {
      return false;
    }
    ConnectorEndpoint e = (ConnectorEndpoint) o;
    return host.equals(e.host) && tcpPort == e.tcpPort && wsPort == e.wsPort && mqttPort == e.mqttPort;
  }

  @Override
  public int hashCode() {
    return ((host.hashCode() * 31 + tcpPort) * 31 + wsPort) * 31 + mqttPort;
  }

  @Override
  public String toString() {
    return host + ":" + tcpPort + " (ws " + wsPort + ", mqtt " + mqttPort + ")";
  }
}
