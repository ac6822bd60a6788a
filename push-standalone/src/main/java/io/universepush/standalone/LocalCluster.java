package io.universepush.standalone;

import io.universepush.api.ApiApplication;
import io.universepush.connector.ConnectorApplication;
import io.universepush.embedded.EmbeddedRedis;
import io.universepush.embedded.EmbeddedZooKeeper;
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
 * The whole system in one process: embedded ZooKeeper and Redis, then subscribe, connector and API, each its own
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
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private EmbeddedZooKeeper zooKeeper;
  private EmbeddedRedis redis;
  private ConfigurableApplicationContext subscribe;
  private ConfigurableApplicationContext connector;
  private ConfigurableApplicationContext api;

  private LocalCluster(ClusterPorts ports, Path redisDataDir, List<String> extraArgs) {
    this.ports = ports;
    this.redisDataDir = redisDataDir;
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
    LocalCluster cluster = new LocalCluster(ports, redisDataDir, extraArgs);
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
    connector =
        run(
            ConnectorApplication.builder(),
            "--universe.push.connector.tcp-port=" + ports.connectorTcp(),
            "--dubbo.protocol.port=" + ports.connectorDubbo());
    api =
        run(
            ApiApplication.builder(),
            "--server.port=" + ports.apiHttp(),
            "--universe.push.api.admin-port=" + ports.apiAdmin());
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

  public String apiUrl() {
    return "http://127.0.0.1:" + ports.apiHttp();
  }

  public String adminUrl() {
    return "http://127.0.0.1:" + ports.apiAdmin();
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
