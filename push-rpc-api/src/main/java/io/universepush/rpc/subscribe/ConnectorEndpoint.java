package io.universepush.rpc.subscribe;

import java.io.Serializable;

/** Where a client can reach one connector node, and how loaded it is. */
public class ConnectorEndpoint implements Serializable {
  private static final long serialVersionUID = 1L;

  private String nodeId;
  private String host;
  private int tcpPort;
  private int wsPort;
  private int mqttPort;
  private int connections;
  private int weight;
  /** Device TCP port behind TLS; 0 when the node has none. */
  private int tlsPort;

  public ConnectorEndpoint() {}

  public ConnectorEndpoint(
      String nodeId, String host, int tcpPort, int wsPort, int mqttPort, int connections, int weight) {
    this.nodeId = nodeId;
    this.host = host;
    this.tcpPort = tcpPort;
    this.wsPort = wsPort;
    this.mqttPort = mqttPort;
    this.connections = connections;
    this.weight = weight;
  }

  public String getNodeId() {
    return nodeId;
  }

  public void setNodeId(String nodeId) {
    this.nodeId = nodeId;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public int getTcpPort() {
    return tcpPort;
  }

  public void setTcpPort(int tcpPort) {
    this.tcpPort = tcpPort;
  }

  public int getWsPort() {
    return wsPort;
  }

  public void setWsPort(int wsPort) {
    this.wsPort = wsPort;
  }

  public int getMqttPort() {
    return mqttPort;
  }

  public void setMqttPort(int mqttPort) {
    this.mqttPort = mqttPort;
  }

  public int getTlsPort() {
    return tlsPort;
  }

  public void setTlsPort(int tlsPort) {
    this.tlsPort = tlsPort;
  }

  public int getConnections() {
    return connections;
  }

  public void setConnections(int connections) {
    this.connections = connections;
  }

  public int getWeight() {
    return weight;
  }

  public void setWeight(int weight) {
    this.weight = weight;
  }

  @Override
  public String toString() {
    return nodeId + "@" + host + ":" + tcpPort;
  }
}
