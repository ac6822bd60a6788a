package io.universepush.store.spring;

import io.universepush.store.redis.RedisStores;
import java.util.ArrayList;
import java.util.List;
import org.redisson.config.Config;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the shared Redis is, and the prefix of every key this system writes there. The settings name one topology:
 *
 * <ul>
 *   <li>a single server: {@code address} ({@code redis://host:port}, the default {@code redis://127.0.0.1:6379});
 *   <li>a Redis Cluster: {@code cluster-nodes}, some or all of its nodes ({@code host:port,host:port,...}; the rest
 *       are discovered);
 *   <li>Redis Sentinel: {@code sentinel-master}, the name the sentinels know the master by, and {@code
 *       sentinel-addresses}, the sentinels ({@code host:port,...}).
 * </ul>
 *
 * {@code cluster-nodes} or the Sentinel settings win over {@code address}, which every service's yml names as a
 * local default (so a deployment only adds the setting of its topology); naming both a cluster and Sentinel is
 * refused at startup, as is a prefix with braces (they would replace the keys' hash tags).
 * Hosts may be given with a {@code redis://} or {@code rediss://} (TLS) scheme; without one, {@code redis://} is used.
 */
@ConfigurationProperties("universe.push.redis")
public record RedisProperties(
    String address,
    List<String> clusterNodes,
    String sentinelMaster,
    List<String> sentinelAddresses,
    @DefaultValue("up:") String keyPrefix) {
  static final String DEFAULT_ADDRESS = "redis://127.0.0.1:6379";

  /** The Redis deployments the stores run on. */
  public enum Topology {
    SINGLE,
    CLUSTER,
    SENTINEL
  }

  @ConstructorBinding
  public RedisProperties {
    clusterNodes = addresses("cluster-nodes", clusterNodes);
    sentinelAddresses = addresses("sentinel-addresses", sentinelAddresses);
    sentinelMaster = sentinelMaster == null || sentinelMaster.isBlank() ? null : sentinelMaster.trim();
    boolean single = address != null && !address.isBlank();
    boolean cluster = !clusterNodes.isEmpty();
    boolean sentinel = sentinelMaster != null || !sentinelAddresses.isEmpty();
    if (cluster && sentinel) {
      throw new IllegalArgumentException(
          "universe.push.redis: set only one of cluster-nodes (Redis Cluster) or sentinel-master with"
              + " sentinel-addresses (Sentinel)");
    }
    if (sentinel && (sentinelMaster == null || sentinelAddresses.isEmpty())) {
      throw new IllegalArgumentException(
          "universe.push.redis: Sentinel needs both sentinel-master and sentinel-addresses");
    }
    address = cluster || sentinel ? null : single ? address(address.trim(), "address") : DEFAULT_ADDRESS;
    if (keyPrefix == null || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException(
          "universe.push.redis.key-prefix must be set and contain no braces (hash tags): " + keyPrefix);
    }
  }

  /** A single server; the other topologies unset. */
  public RedisProperties(String address, String keyPrefix) {
    this(address, List.of(), null, List.of(), keyPrefix);
  }

  public Topology topology() {
    if (!clusterNodes.isEmpty()) {
      return Topology.CLUSTER;
    }
    return sentinelMaster != null ? Topology.SENTINEL : Topology.SINGLE;
  }

  /** The Redisson configuration of the topology these settings name. */
  public Config redissonConfig() {
    return switch (topology()) {
      case SINGLE -> RedisStores.singleServerConfig(address);
      case CLUSTER -> RedisStores.clusterConfig(clusterNodes);
      case SENTINEL -> RedisStores.sentinelConfig(sentinelMaster, sentinelAddresses);
    };
  }

  private static List<String> addresses(String setting, List<String> values) {
    List<String> out = new ArrayList<>();
    if (values != null) {
      for (String value : values) {
        // A single comma-separated string binds as one element from some sources; split it either way.
        for (String part : value.split(",")) {
          if (!part.isBlank()) {
            out.add(address(part.trim(), setting));
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /** redis://host:port from host:port or a redis:// / rediss:// address; the port is required. */
  private static String address(String value, String setting) {
    String withScheme = value.contains("://") ? value : "redis://" + value;
    if (!withScheme.startsWith("redis://") && !withScheme.startsWith("rediss://")) {
      throw new IllegalArgumentException(
          "universe.push.redis." + setting + ": " + value + " is not redis://host:port or host:port");
    }
    String hostPort = withScheme.substring(withScheme.indexOf("://") + 3);
    int colon = hostPort.lastIndexOf(':');
    boolean validPort = false;
    if (colon > 0 && colon < hostPort.length() - 1) {
      try {
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        validPort = port > 0 && port < 65536;
      } catch (NumberFormatException e) {
        validPort = false;
      }
    }
    if (!validPort) {
      throw new IllegalArgumentException(
          "universe.push.redis." + setting + ": " + value + " needs a host and a port (host:port)");
    }
    return withScheme;
  }
}
