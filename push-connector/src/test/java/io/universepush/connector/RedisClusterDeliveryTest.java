package io.universepush.connector;

import static io.universepush.connector.TestClient.binding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.connector.node.LocalNode;
import io.universepush.connector.node.NodeAddress;
import io.universepush.connector.tcp.TcpServer;
import io.universepush.embedded.EmbeddedRedisCluster;
import io.universepush.protocol.proto.Push;
import io.universepush.rpc.connector.ConnectorService;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.rpc.subscribe.SubscribeService;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.redis.RedisStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.curator.test.TestingCluster;
import org.apache.dubbo.rpc.cluster.specifyaddress.Address;
import org.apache.dubbo.rpc.cluster.specifyaddress.UserSpecifiedAddressUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A connector whose Redis is a three-master Redis Cluster, selected by {@code universe.push.redis.cluster-nodes}
 * alone, and whose ZooKeeper is a three-server ensemble ({@code universe.push.zookeeper.address} = its connect
 * string, which the Dubbo registry URL takes too): a unicast delivery, a pending flush on connect and an app-wide
 * fan-out reach a raw client. Its world is its own (ZooKeeper, SubscribeService stand-in and push-api stand-in over
 * the cluster's stores), so authentication and delivery read the same Redis as in production; it stays up until the end of the test run, as {@link
 * ConnectorCluster} does, because closing a connector in a JVM shared with other connectors unsettles Dubbo's
 * framework-wide service repository.
 */
@ExtendWith(RedisClusterDeliveryTest.World.Extension.class)
class RedisClusterDeliveryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String KEY_PREFIX = "rc:";

  private static World world;

  @BeforeAll
  static void setUp(World shared) {
    world = shared;
  }

  @Test
  void aUnicastPushIsDeliveredToAConnectedDevice() throws Exception {
    String appId = world.stores.apps().create("cluster-test").app().appId();
    DeviceRegistration device = world.stores.devices().register(appId, "android", null, Set.of());
    String regId = device.device().regId();
    try (TestClient client = new TestClient(world.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));
      await().atMost(WAIT).until(() -> world.stores.routes().find(regId).isPresent());

      StoredMessage message = store(appId, regId, "{\"unicast\":1}");
      DeliveryReport report = world.deliver(ConnectorCluster.delivery(message, regId));

      assertThat(report.getResults().get(0).getOutcome()).isEqualTo(DeliveryOutcome.WRITTEN);
      Push push = client.readPush();
      assertThat(push.getMsgId()).isEqualTo(message.msgId());
      client.ack(List.of(message.msgId()));
      await().atMost(WAIT).until(() -> world.stores.messages().pending(regId, 10).isEmpty());
    }
  }

  @Test
  void whatWaitedForAnOfflineDeviceIsFlushedWhenItConnects() throws Exception {
    String appId = world.stores.apps().create("cluster-test").app().appId();
    DeviceRegistration device = world.stores.devices().register(appId, "android", null, Set.of());
    String regId = device.device().regId();
    StoredMessage first = store(appId, regId, "{\"n\":1}");
    StoredMessage second = store(appId, regId, "{\"n\":2}");

    try (TestClient client = new TestClient(world.tcpPort())) {
      client.connectAccepted(binding(appId, regId, device.token()));

      assertThat(List.of(client.readPush().getMsgId(), client.readPush().getMsgId()))
          .containsExactly(first.msgId(), second.msgId());
      client.ack(List.of(first.msgId(), second.msgId()));
      await().atMost(WAIT).until(() -> world.stores.messages().pending(regId, 10).isEmpty());
    }
  }

  @Test
  void anAppWidePushReachesEveryConnectedDeviceOfTheApp() throws Exception {
    String appId = world.stores.apps().create("cluster-test").app().appId();
    DeviceRegistration one = world.stores.devices().register(appId, "android", null, Set.of("news"));
    DeviceRegistration two = world.stores.devices().register(appId, "ios", null, Set.of());
    try (TestClient a = new TestClient(world.tcpPort());
        TestClient b = new TestClient(world.tcpPort())) {
      a.connectAccepted(binding(appId, one.device().regId(), one.token()));
      b.connectAccepted(binding(appId, two.device().regId(), two.token()));
      for (DeviceRegistration device : List.of(one, two)) {
        await().atMost(WAIT).until(() -> world.stores.routes().find(device.device().regId()).isPresent());
      }

      // As push-api does for a fan-out with a ttl: store the message, append to the app's log, publish.
      StoredMessage message = ConnectorCluster.message(appId, "{\"all\":1}", Duration.ofMinutes(1));
      world.stores.messages().saveWithPending(message, List.of());
      FanoutEntry entry =
          world.stores.fanoutLog()
              .append(FanoutEntry.of(appId, message.msgId(), Set.of(), Set.of(), message.expiresAtMs()));
      world.stores.fanoutBus().publish(new FanoutEvent(entry, message));

      assertThat(a.readPush().getMsgId()).isEqualTo(message.msgId());
      Push toTwo = b.readPush();
      assertThat(toTwo.getMsgId()).isEqualTo(message.msgId());
      assertThat(toTwo.getFanoutOffset()).isEqualTo(entry.offset());
    }
  }

  private static StoredMessage store(String appId, String regId, String payload) {
    StoredMessage message = ConnectorCluster.message(appId, payload, Duration.ofMinutes(1));
    world.stores.messages().saveWithPending(message, List.of(regId));
    return message;
  }

  /** The ZooKeeper ensemble, the Redis Cluster, the two Dubbo stand-ins and the connector, started once per test run. */
  static final class World implements ExtensionContext.Store.CloseableResource {
    private final TestingCluster zookeeper;
    private final EmbeddedRedisCluster redis;
    private final RedisStores stores;
    private final DubboApp subscribeProvider;
    private final ConfigurableApplicationContext connector;
    private final DubboApp consumer;
    private final ConnectorService connectorService;

    private World() {
      long started = System.nanoTime();
      zookeeper = new TestingCluster(3);
      try {
        zookeeper.start();
      } catch (Exception e) {
        throw new IllegalStateException("ZooKeeper ensemble did not start", e);
      }
      long ensembleMs = (System.nanoTime() - started) / 1_000_000;
      redis = EmbeddedRedisCluster.start(3);
      long redisMs = (System.nanoTime() - started) / 1_000_000 - ensembleMs;
      stores = RedisStores.connect(RedisStores.clusterConfig(redis.addresses()), KEY_PREFIX);
      subscribeProvider = new DubboApp("cluster-test-subscribe", zookeeper.getConnectString(), freePort());
      subscribeProvider.provide(SubscribeService.class, new RedisSubscribeService(stores.apps(), stores.devices()));
      subscribeProvider.start();
      connector =
          ConnectorApplication.builder()
              .run(
                  "--universe.push.zookeeper.address=" + zookeeper.getConnectString(),
                  // The yml's default address stays; the cluster setting wins over it.
                  "--universe.push.redis.cluster-nodes=" + redis.nodeList(),
                  "--universe.push.redis.key-prefix=" + KEY_PREFIX,
                  "--universe.push.connector.tcp-port=0",
                  "--universe.push.connector.node-id=cluster-node-1",
                  "--universe.push.connector.websocket.port=0",
                  "--universe.push.connector.load-report-interval=200ms",
                  "--dubbo.protocol.port=" + freePort(),
                  "--dubbo.service.shutdown.wait=1000",
                  "--spring.main.banner-mode=off");
      long connectorMs = (System.nanoTime() - started) / 1_000_000 - ensembleMs - redisMs;
      consumer = new DubboApp("cluster-test-api", zookeeper.getConnectString());
      var reference = consumer.reference(ConnectorService.class);
      consumer.start();
      connectorService = reference.get();
      NodeAddress node = node();
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> aimedAt().stats().getNodeId().equals(node.nodeId()));
      System.out.printf(
          "Connector on a three-master Redis Cluster and a ZooKeeper ensemble ready in %d ms (ensemble %d ms,"
              + " Redis Cluster %d ms, subscribe stand-in and connector %d ms)%n",
          (System.nanoTime() - started) / 1_000_000, ensembleMs, redisMs, connectorMs);
    }

    int tcpPort() {
      return connector.getBean(TcpServer.class).port();
    }

    NodeAddress node() {
      return connector.getBean(LocalNode.class).address();
    }

    ConnectorService aimedAt() {
      NodeAddress node = node();
      UserSpecifiedAddressUtil.setAddress(new Address(node.dubboHost(), node.dubboPort(), false));
      return connectorService;
    }

    DeliveryReport deliver(io.universepush.rpc.connector.Delivery... deliveries) {
      return aimedAt().deliver(new ArrayList<>(List.of(deliveries)));
    }

    @Override
    public void close() {
      closeQuietly(consumer);
      closeQuietly(connector);
      closeQuietly(subscribeProvider);
      closeQuietly(stores);
      redis.close();
      closeQuietly(zookeeper);
    }

    private static void closeQuietly(AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // shutting down anyway
      }
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Hands the world to the test class, started on first use and closed with the test run. */
    static final class Extension implements ParameterResolver {
      @Override
      public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == World.class;
      }

      @Override
      public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context
            .getRoot()
            .getStore(ExtensionContext.Namespace.GLOBAL)
            .getOrComputeIfAbsent(World.class, key -> new World(), World.class);
      }
    }
  }
}
