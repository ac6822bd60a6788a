package io.universepush.connector.node;

/**
 * Where this node is reachable, known once the TCP server is bound and Dubbo has exported.
 *
 * @param nodeId id in the node directory and in routes
 * @param host address advertised to devices
 * @param tcpPort bound TCP port for devices
 * @param dubboHost host of the exported {@code ConnectorService}, as other services call it
 * @param dubboPort bound Dubbo port
 * @param startedAtMs when the node started serving
 * @param tlsPort bound TLS port for devices, 0 without a TLS listener
 * @param wsPort bound WebSocket port for devices, 0 without a WebSocket listener
 * @param mqttPort bound MQTT port for devices, 0 without an MQTT listener
 * @param mqttTlsPort bound MQTT-over-TLS port for devices, 0 without one
 */
public record NodeAddress(
    String nodeId,
    String host,
    int tcpPort,
    String dubboHost,
    int dubboPort,
    long startedAtMs,
    int tlsPort,
    int wsPort,
    int mqttPort,
    int mqttTlsPort) {}
