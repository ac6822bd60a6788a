package io.universepush.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.api.ApiApplication;
import io.universepush.api.system.AdminListener;
import io.universepush.embedded.EmbeddedRedis;
import io.universepush.embedded.EmbeddedZooKeeper;
import io.universepush.rpc.connector.ConnectorService;
import io.universepush.rpc.subscribe.SubscribeService;
import io.universepush.store.node.ConnectorNode;
import io.universepush.store.node.ZooKeeperNodeDirectory;
import io.universepush.store.redis.RedisStores;
import io.universepush.store.route.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Embedded ZooKeeper and Redis, stand-in providers of SubscribeService and ConnectorService (each its own Dubbo
 * application on its own port, registered in ZooKeeper), and push-api itself started as in production on random
 * ports.
 */
public final class TestCluster implements AutoCloseable {
  public final EmbeddedZooKeeper zookeeper;
  public final EmbeddedRedis redis;
  public final RedisStores stores;
  public final ZooKeeperNodeDirectory nodes;
  public final DubboTestServer subscribeServer;
  public final List<Node> connectors = new ArrayList<>();
  public final ConfigurableApplicationContext api;
  public final Http http = new Http();
  public final String publicUrl;
  public final String adminUrl;

  /** A recording connector node: its Dubbo server and the name the route table knows it by. */
  public record Node(RecordingConnector connector, DubboTestServer server) {
    public String nodeId() {
      return connector.nodeId();
    }
  }

  private TestCluster(int connectorNodes, String... apiArguments) {
    zookeeper = EmbeddedZooKeeper.start(0);
    redis = EmbeddedRedis.start(0);
    stores = RedisStores.connect(redis.address(), "up:");
    nodes = ZooKeeperNodeDirectory.connect(zookeeper.connectString());
    subscribeServer =
        new DubboTestServer("test-subscribe", zookeeper.connectString())
            .export(
                SubscribeService.class,
                new StoreBackedSubscribeService(stores.apps(), stores.devices(), nodes))
            .start();
    for (int i = 1; i <= connectorNodes; i++) {
      RecordingConnector connector = new RecordingConnector("node-" + i);
      DubboTestServer server =
          new DubboTestServer("test-connector-" + i, zookeeper.connectString())
              .export(ConnectorService.class, connector)
              .start();
      connectors.add(new Node(connector, server));
      // In the directory as a real connector is: push-api calls only nodes it finds there.
      nodes.register(
          new ConnectorNode(
              connector.nodeId(), "127.0.0.1", 0, 0, 0, server.port(), 0, 1, System.currentTimeMillis(), 0));
    }
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--universe.push.api.admin-port=0",
                "--universe.push.zookeeper.address=" + zookeeper.connectString(),
                "--universe.push.redis.address=" + redis.address(),
                "--dubbo.service.shutdown.wait=1000",
                "--spring.main.banner-mode=off",
                // Generous: test classes share one client IP and a few apps; limit tests set their own.
                "--universe.push.api.limits.failed-auths-per-minute=100000",
                "--universe.push.api.limits.failed-auth-burst=100000",
                "--universe.push.api.limits.push-burst=100000",
                "--universe.push.api.limits.registration-burst=100000",
                "--universe.push.api.limits.read-burst=100000",
                "--universe.push.api.limits.open-registration-burst=100000",
                "--universe.push.api.limits.open-registration-burst-per-ip=100000"));
    // A test's arguments replace these: Spring would join two values of one key with a comma.
    for (String argument : apiArguments) {
      String key = argument.substring(0, argument.indexOf('=') + 1);
      arguments.removeIf(existing -> existing.startsWith(key));
      arguments.add(argument);
    }
    // Arguments, not builder properties: those are defaults, which api.yml would override.
    api = ApiApplication.builder().run(arguments.toArray(String[]::new));
    publicUrl = "http://127.0.0.1:" + api.getEnvironment().getProperty("local.server.port");
    adminUrl = "http://127.0.0.1:" + api.getBean(AdminListener.class).port();
  }

  public static TestCluster start(int connectorNodes, String... apiArguments) {
    return new TestCluster(connectorNodes, apiArguments);
  }

  private static TestCluster shared;

  /**
   * One cluster with two connector nodes for every test class that does not need a cluster of its own; tests keep
   * apart by creating their own apps. Stopped when the test JVM exits.
   */
  public static synchronized TestCluster shared() {
    if (shared == null) {
      shared = start(2);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-cluster-stop"));
    }
    return shared;
  }

  public Node node(int index) {
    return connectors.get(index - 1);
  }

  /** Creates an app through the admin listener: {app_id, app_secret}. */
  public String[] createApp(String name) {
    Http.Answer created = http.post(adminUrl + "/v1/apps", Map.of("name", name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new String[] {created.json().get("app_id").asText(), created.json().get("app_secret").asText()};
  }

  /** Registers a device through the public API; answers the registration body. */
  public JsonNode registerDevice(String[] app, Object body) {
    Http.Answer registered = http.post(publicUrl + "/v1/devices", body, app);
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    return registered.json();
  }

  public String registerDevice(String[] app) {
    return registerDevice(app, Map.of("platform", "android")).get("reg_id").asText();
  }

  /** Makes the device online at the node, as a connector does on CONNECT: a route, and a session there. */
  public void connect(String appId, String regId, Node node) {
    stores
        .routes()
        .put(
            new Route(regId, appId, node.nodeId(), "127.0.0.1", node.server().port(), System.currentTimeMillis()),
            Duration.ofMinutes(5));
    node.connector().connect(regId);
  }

  /** Announces a connector node in ZooKeeper, as a connector does at start. */
  public ConnectorNode announce(String nodeId, int tcpPort, int connections) {
    ConnectorNode node =
        new ConnectorNode(
            nodeId, "127.0.0.1", tcpPort, tcpPort + 1, tcpPort + 2, 0, connections, 1, System.currentTimeMillis());
    nodes.register(node);
    return node;
  }

  @Override
  public void close() {
    closeQuietly(api::close);
    connectors.forEach(node -> closeQuietly(node.server()::close));
    closeQuietly(subscribeServer::close);
    closeQuietly(nodes::close);
    closeQuietly(stores::close);
    closeQuietly(redis::close);
    closeQuietly(zookeeper::close);
  }

  private static void closeQuietly(Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      // Shutting down a test cluster: one part failing to stop must not keep the others running.
    }
  }
}
