package io.universepush.store.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ZooKeeper ensemble holding the Dubbo registry and the connector directory.
 *
 * @param address the ensemble's connect string, {@code host:port[,host:port...]} (list every server: the client
 *     moves to another one when its server goes, without losing its session). Default {@code 127.0.0.1:2181}.
 * @param sessionTimeout how long the ensemble keeps a client's session, and so a connector's ephemeral registration,
 *     after it stops hearing from it: a crashed connector leaves the directory this long after its last heartbeat.
 *     Shorter means faster failover but more spurious expiries on a GC pause or a leader election; the server clamps
 *     it to 2 to 20 ticks (tickTime 2 s: 4 s to 40 s). Default 10 s.
 * @param connectionTimeout how long a connection attempt to one server may take before the client tries the next.
 *     Default 5 s.
 */
@ConfigurationProperties("universe.push.zookeeper")
public record ZooKeeperProperties(
    @DefaultValue("127.0.0.1:2181") String address,
    @DefaultValue("10s") Duration sessionTimeout,
    @DefaultValue("5s") Duration connectionTimeout) {

  public ZooKeeperProperties {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("universe.push.zookeeper.address must name the ensemble (host:port,...)");
    }
    for (String server : address.split(",")) {
      String hostPort = server.trim();
      // A chroot (host:port/path) may follow the last server.
      int slash = hostPort.indexOf('/');
      if (slash >= 0) {
        hostPort = hostPort.substring(0, slash);
      }
      if (hostPort.isEmpty() || hostPort.lastIndexOf(':') <= 0) {
        throw new IllegalArgumentException(
            "universe.push.zookeeper.address: " + server + " is not host:port (in " + address + ")");
      }
    }
    if (sessionTimeout == null || sessionTimeout.isNegative() || sessionTimeout.isZero()) {
      throw new IllegalArgumentException("universe.push.zookeeper.session-timeout must be positive");
    }
    if (connectionTimeout == null || connectionTimeout.isNegative() || connectionTimeout.isZero()) {
      throw new IllegalArgumentException("universe.push.zookeeper.connection-timeout must be positive");
    }
  }
}
