package io.universepush.standalone;

import io.universepush.api.ApiApplication;
import io.universepush.connector.ConnectorApplication;
import io.universepush.connector.tcp.TcpServer;
import io.universepush.embedded.DevCertificates;
import io.universepush.embedded.EmbeddedRedis;
import io.universepush.embedded.EmbeddedZooKeeper;
import io.universepush.group.GroupApplication;
import io.universepush.subscribe.SubscribeApplication;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole system in one process: embedded ZooKeeper and Redis, then subscribe, connector, API and group, each its own
 * Spring context and Dubbo application talking to the others over real sockets, exactly as separate processes do.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

  static {
    // Dubbo registers the first non-loopback address, which on some machines cannot be reached; the embedded
    // default is a one-machine system, so it registers loopback. Must be set before any Dubbo class loads.
    if (System.getProperty("dubbo.network.interface.ignored") == null) {
      System.setProperty("dubbo.network.interface.ignored", "eth.*,ens.*,enp.*,veth.*,docker.*,ifb.*");
    }
  }

  private final ClusterPorts ports;
  private final List<String> extraArgs;
  /** Null: Redis keeps everything in memory. */
  private final Path redisDataDir;
  /** Null: no TLS anywhere. */
  private final Tls tls;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private EmbeddedZooKeeper zooKeeper;
  private EmbeddedRedis redis;
  private ConfigurableApplicationContext subscribe;
  private ConfigurableApplicationContext connector;
  private ConfigurableApplicationContext api;
  private ConfigurableApplicationContext group;

  /**
   * TLS on the connector's second device port and HTTPS on both push-api listeners, with a development certificate.
   *
   * @param certificates key store for every listener; clients trust its {@code certificatePem()}
   * @param connectorPort the connector's TLS port (0: any free port)
   */
  public record Tls(DevCertificates certificates, int connectorPort) {}

  private LocalCluster(ClusterPorts ports, Path redisDataDir, Tls tls, List<String> extraArgs) {
    this.ports = ports;
    this.redisDataDir = redisDataDir;
    this.tls = tls;
    this.extraArgs = extraArgs;
  }

  /** Starts everything with an in-memory Redis; on any failure stops what had started and rethrows. */
  public static LocalCluster start(ClusterPorts ports, List<String> extraArgs) {
    return start(ports, null, extraArgs);
  }

  /**
   * Starts everything; Redis keeps an append-only file in {@code redisDataDir} (null: memory only), so stored
   * messages, apps and devices survive a restart. On any failure stops what had started and rethrows.
   */
  public static LocalCluster start(ClusterPorts ports, Path redisDataDir, List<String> extraArgs) {
    return start(ports, redisDataDir, null, extraArgs);
  }

  /** As {@link #start(ClusterPorts, Path, List)}; with {@code tls} set, TLS on the device and HTTP listeners too. */
  public static LocalCluster start(ClusterPorts ports, Path redisDataDir, Tls tls, List<String> extraArgs) {
    LocalCluster cluster = new LocalCluster(ports, redisDataDir, tls, extraArgs);
    try {
      cluster.startAll();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private void startAll() {
    zooKeeper = EmbeddedZooKeeper.start(ports.zookeeper());
    started.push(zooKeeper);
    redis =
        redisDataDir == null
            ? EmbeddedRedis.start(ports.redis())
            : EmbeddedRedis.startPersistent(ports.redis(), redisDataDir);
    started.push(redis);
    log.info(
        "embedded ZooKeeper on {}, embedded Redis on {} ({})",
        zooKeeper.connectString(),
        redis.address(),
        redisDataDir == null ? "in memory" : "data in " + redisDataDir.toAbsolutePath());

    subscribe = run(SubscribeApplication.builder(), "--dubbo.protocol.port=" + ports.subscribeDubbo());
    List<String> connectorArgs =
        new ArrayList<>(
            List.of(
                "--universe.push.connector.tcp-port=" + ports.connectorTcp(),
                "--universe.push.connector.websocket.port=" + ports.connectorWebSocket(),
                "--universe.push.connector.mqtt.port=" + ports.connectorMqtt(),
                "--dubbo.protocol.port=" + ports.connectorDubbo()));
    List<String> apiArgs =
        new ArrayList<>(
            List.of("--server.port=" + ports.apiHttp(), "--universe.push.api.admin-port=" + ports.apiAdmin()));
    if (tls != null) {
      DevCertificates certificates = tls.certificates();
      connectorArgs.addAll(
          List.of(
              "--universe.push.connector.tls.enabled=true",
              "--universe.push.connector.tls.port=" + tls.connectorPort(),
              "--universe.push.connector.tls.key-store=" + certificates.keyStore().toAbsolutePath(),
              "--universe.push.connector.tls.key-store-password=" + certificates.password()));
      // The admin listener follows server.ssl (push-api's AdminListener).
      apiArgs.addAll(
          List.of(
              "--server.ssl.bundle=universe-push-dev",
              "--spring.ssl.bundle.jks.universe-push-dev.keystore.location="
                  + certificates.keyStore().toAbsolutePath().toUri(),
              "--spring.ssl.bundle.jks.universe-push-dev.keystore.password=" + certificates.password(),
              "--spring.ssl.bundle.jks.universe-push-dev.keystore.type=PKCS12"));
    }
    connector = run(ConnectorApplication.builder(), connectorArgs.toArray(String[]::new));
    api = run(ApiApplication.builder(), apiArgs.toArray(String[]::new));
    group =
        run(
            GroupApplication.builder(),
            "--server.port=" + ports.groupHttp(),
            "--dubbo.protocol.port=" + ports.groupDubbo());
  }

  private ConfigurableApplicationContext run(SpringApplicationBuilder builder, String... serviceArgs) {
    List<String> args = new ArrayList<>();
    args.add("--universe.push.zookeeper.address=" + zooKeeper.connectString());
    args.add("--universe.push.redis.address=" + redis.address());
    args.add("--spring.main.banner-mode=off");
    args.addAll(List.of(serviceArgs));
    args.addAll(extraArgs);
    // Spring's own shutdown hook would close the services concurrently with close(), which stops ZooKeeper and
    // Redis under them: their deregistration then retries against nothing and the process never exits.
    ConfigurableApplicationContext context =
        builder.registerShutdownHook(false).run(args.toArray(String[]::new));
    started.push(context);
    return context;
  }

  public ClusterPorts ports() {
    return ports;
  }

  public EmbeddedRedis redis() {
    return redis;
  }

  /** Where Redis keeps its data, or null when it is in memory only. */
  public Path redisDataDir() {
    return redisDataDir;
  }

  public EmbeddedZooKeeper zooKeeper() {
    return zooKeeper;
  }

  public ConfigurableApplicationContext subscribeContext() {
    return subscribe;
  }

  public ConfigurableApplicationContext connectorContext() {
    return connector;
  }

  public ConfigurableApplicationContext apiContext() {
    return api;
  }

  public ConfigurableApplicationContext groupContext() {
    return group;
  }

  /** push-group's HTTP API (plain HTTP: --tls covers the connector and push-api only). */
  public String groupUrl() {
    return "http://127.0.0.1:" + ports.groupHttp();
  }

  public String apiUrl() {
    return scheme() + "://127.0.0.1:" + ports.apiHttp();
  }

  public String adminUrl() {
    return scheme() + "://127.0.0.1:" + ports.apiAdmin();
  }

  private String scheme() {
    return tls == null ? "http" : "https";
  }

  /** The TLS settings, or null when the cluster runs without TLS. */
  public Tls tls() {
    return tls;
  }

  /** The connector's bound TLS port, 0 without TLS. */
  public int connectorTlsPort() {
    return connector.getBean(TcpServer.class).tlsPort();
  }

  /** Stops services before the servers they depend on, newest first. */
  @Override
  public void close() {
    while (!started.isEmpty()) {
      AutoCloseable next = started.pop();
      try {
        next.close();
      } catch (Exception e) {
        log.warn("error while stopping {}: {}", next, e.toString());
      }
    }
  }
}
