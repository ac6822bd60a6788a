package io.universepush.group.support;

import io.universepush.embedded.EmbeddedRedis;
import io.universepush.embedded.EmbeddedZooKeeper;
import io.universepush.group.GroupApplication;
import io.universepush.rpc.connector.ConnectorService;
import io.universepush.store.app.AppCredentials;
import io.universepush.store.redis.RedisStores;
import io.universepush.store.route.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Embedded ZooKeeper and Redis, a recording connector node (a Dubbo application of its own), and push-group started as
 * in production on random ports.
 */
public final class GroupTestCluster implements AutoCloseable {
  public final EmbeddedZooKeeper zookeeper;
  public final EmbeddedRedis redis;
  public final RedisStores stores;
  public final RecordingConnector connector = new RecordingConnector("node-1");
  public final DubboTestServer connectorServer;
  public final ConfigurableApplicationContext group;
  public final Http http = new Http();
  public final String url;

  private GroupTestCluster(String... groupArguments) {
    zookeeper = EmbeddedZooKeeper.start(0);
    redis = EmbeddedRedis.start(0);
    stores = RedisStores.connect(redis.address(), "up:");
    connectorServer =
        new DubboTestServer("test-connector", zookeeper.connectString())
            .export(ConnectorService.class, connector)
            .start();
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--dubbo.protocol.port=" + DubboTestServer.freePort(),
                "--universe.push.zookeeper.address=" + zookeeper.connectString(),
                "--universe.push.redis.address=" + redis.address(),
                "--dubbo.service.shutdown.wait=1000",
                "--spring.main.banner-mode=off",
                "--universe.push.group.limits.failed-auth-burst=100000",
                "--universe.push.group.limits.failed-auths-per-minute=100000",
                "--universe.push.group.limits.send-burst=100000",
                "--universe.push.group.limits.write-burst=100000",
                "--universe.push.group.limits.read-burst=100000"));
    // A test's arguments replace these: Spring would join two values of one key with a comma.
    for (String argument : groupArguments) {
      String key = argument.substring(0, argument.indexOf('=') + 1);
      arguments.removeIf(existing -> existing.startsWith(key));
      arguments.add(argument);
    }
    // Arguments, not builder properties: those are defaults, which group.yml would override.
    group = GroupApplication.builder().run(arguments.toArray(String[]::new));
    url = "http://127.0.0.1:" + group.getEnvironment().getProperty("local.server.port");
  }

  public static GroupTestCluster start(String... groupArguments) {
    return new GroupTestCluster(groupArguments);
  }

  /** {app_id, app_secret} of a new app. */
  public String[] createApp(String name) {
    AppCredentials credentials = stores.apps().create(name);
    return new String[] {credentials.app().appId(), credentials.secret()};
  }

  public String registerDevice(String[] app, String alias) {
    return stores.devices().register(app[0], "android", alias, Set.of()).device().regId();
  }

  /** Makes the device online at the recording node, as a connector does on CONNECT. */
  public void connect(String appId, String regId) {
    stores
        .routes()
        .put(
            new Route(regId, appId, connector.nodeId(), "127.0.0.1", connectorServer.port(), System.currentTimeMillis()),
            Duration.ofMinutes(5));
    connector.connect(regId);
  }

  @Override
  public void close() {
    closeQuietly(group::close);
    closeQuietly(connectorServer::close);
    closeQuietly(stores::close);
    closeQuietly(redis::close);
    closeQuietly(zookeeper::close);
  }

  private static void closeQuietly(Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      // One part failing to stop must not keep the others running.
    }
  }
}
