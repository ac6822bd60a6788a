package io.universepush.api.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.universepush.rpc.subscribe.ConnectorEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Request and response bodies of the device endpoints. */
public final class DeviceDtos {
  private DeviceDtos() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record RegisterDeviceRequest(String platform, String alias, List<String> tags) {}

  /**
   * Platform, alias and tags to set; a field left out (or null) keeps its current value, "" and [] clear alias and
   * tags (a device always has a platform).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record UpdateDeviceRequest(String platform, String alias, List<String> tags) {}

  /** The token appears here only: it is stored hashed. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record DeviceRegistered(String regId, String token, List<Connector> connectors) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Connectors(List<Connector> connectors) {}

  /** A connector a device can connect to, the least loaded first in every list; {@code tlsPort} 0: no TLS. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Connector(String nodeId, String host, int tcpPort, int wsPort, int mqttPort, int tlsPort) {
    static List<Connector> of(List<ConnectorEndpoint> endpoints) {
      return endpoints == null
          ? List.of()
          : endpoints.stream()
              .map(
                  e ->
                      new Connector(
                          e.getNodeId(), e.getHost(), e.getTcpPort(), e.getWsPort(), e.getMqttPort(), e.getTlsPort()))
              .toList();
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeviceView(
      String regId,
      String platform,
      String alias,
      Set<String> tags,
      boolean online,
      String node,
      Instant connectedAt,
      /** The last heartbeat while online, else when it went offline; absent if it never connected. */
      Instant lastSeen,
      Instant createdAt) {}
}
