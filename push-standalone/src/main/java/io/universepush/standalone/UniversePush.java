package io.universepush.standalone;

import io.universepush.api.ApiApplication;
import io.universepush.connector.ConnectorApplication;
import io.universepush.embedded.DevCertificates;
import io.universepush.group.GroupApplication;
import io.universepush.subscribe.SubscribeApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.builder.SpringApplicationBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** The launcher: the whole system in one process, or any one service against external ZooKeeper and Redis. */
@Command(
    name = "universe-push",
    mixinStandardHelpOptions = true,
    version = "Universe Push 0.1.0",
    description = "Starts Universe Push services.",
    subcommands = {
      UniversePush.Standalone.class,
      UniversePush.Connector.class,
      UniversePush.Subscribe.class,
      UniversePush.Api.class,
      UniversePush.Group.class,
      Infra.class
    })
public final class UniversePush {

  public static void main(String[] args) {
    int exit = new CommandLine(new UniversePush()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Command(
      name = "standalone",
      mixinStandardHelpOptions = true,
      description = "Embedded ZooKeeper and Redis in-process plus every service, on the default ports.")
  static final class Standalone implements Callable<Integer> {
    @Mixin EmbeddedServerPorts servers;

    @Option(names = "--tcp-port", defaultValue = "6789", description = "Connector TCP port.")
    int tcpPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "push-api HTTP port.")
    int httpPort;

    @Option(names = "--admin-port", defaultValue = "8090", description = "push-api admin port (127.0.0.1 only).")
    int adminPort;

    @Option(
        names = "--data-dir",
        defaultValue = "data/redis",
        description = "Where embedded Redis keeps its append-only file, so apps, devices and pending messages survive"
            + " a restart (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--in-memory", description = "Keep Redis data in memory only: everything is gone on stop.")
    boolean inMemory;

    @Option(
        names = "--tls",
        description = "TLS for trying it out: a fresh self-signed certificate in data/tls (next to --data-dir), the"
            + " connector's TLS device port and HTTPS on the API and admin ports. Not for production (docs/TLS.md).")
    boolean tls;

    @Option(names = "--tls-port", defaultValue = "6790", description = "Connector TLS port, with --tls.")
    int tlsPort;

    @Option(names = "--ws-port", defaultValue = "9326", description = "Connector WebSocket port (path /ws).")
    int wsPort;

    @Option(names = "--mqtt-port", defaultValue = "1883", description = "Connector MQTT 3.1.1 port.")
    int mqttPort;

    @Option(names = "--group-http-port", defaultValue = "8081", description = "push-group HTTP port.")
    int groupHttpPort;

    @Unmatched List<String> springArgs = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
      ClusterPorts defaults = ClusterPorts.defaults();
      ClusterPorts ports =
          new ClusterPorts(
              servers.zookeeper,
              servers.redis,
              tcpPort,
              wsPort,
              mqttPort,
              defaults.connectorDubbo(),
              defaults.subscribeDubbo(),
              httpPort,
              adminPort,
              groupHttpPort,
              defaults.groupDubbo());
      LocalCluster.Tls devTls = tls ? new LocalCluster.Tls(DevCertificates.create(tlsDir()), tlsPort) : null;
      LocalCluster cluster = LocalCluster.start(ports, inMemory ? null : dataDir, devTls, springArgs);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    cluster.close();
                    stopped.countDown();
                  },
                  "universe-push-shutdown"));
      System.out.println(StartupBanner.render(cluster));
      stopped.await();
      return 0;
    }

    /** {@code data/tls} beside {@code data/redis}: the data dir's sibling. */
    private Path tlsDir() {
      Path parent = dataDir.toAbsolutePath().normalize().getParent();
      Path tlsDir = (parent == null ? Path.of("") : parent).resolve("tls");
      Path relative = Path.of("").toAbsolutePath().relativize(tlsDir);
      return relative.startsWith("..") ? tlsDir : relative;
    }
  }

  /** Runs one service as its own process, configured by Spring arguments and its yml. */
  abstract static class SingleService implements Callable<Integer> {
    @Unmatched List<String> springArgs = new ArrayList<>();

    abstract SpringApplicationBuilder builder();

    @Override
    public Integer call() {
      builder().run(springArgs.toArray(String[]::new));
      return 0;
    }
  }

  @Command(name = "connector", description = "push-connector against external ZooKeeper and Redis.")
  static final class Connector extends SingleService {
    @Override
    SpringApplicationBuilder builder() {
      return ConnectorApplication.builder();
    }
  }

  @Command(name = "subscribe", description = "push-subscribe against external ZooKeeper and Redis.")
  static final class Subscribe extends SingleService {
    @Override
    SpringApplicationBuilder builder() {
      return SubscribeApplication.builder();
    }
  }

  @Command(name = "api", description = "push-api against external ZooKeeper and Redis.")
  static final class Api extends SingleService {
    @Override
    SpringApplicationBuilder builder() {
      return ApiApplication.builder();
    }
  }

  @Command(name = "group", description = "push-group against external ZooKeeper and Redis.")
  static final class Group extends SingleService {
    @Override
    SpringApplicationBuilder builder() {
      return GroupApplication.builder();
    }
  }
}
