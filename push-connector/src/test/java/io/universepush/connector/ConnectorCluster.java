package io.universepush.connector;

import static org.awaitility.Awaitility.await;

import io.universepush.connector.mqtt.MqttListener;
import io.universepush.connector.node.LocalNode;
import io.universepush.connector.node.NodeAddress;
import io.universepush.connector.tcp.TcpServer;
import io.universepush.connector.websocket.WebSocketListener;
import io.universepush.embedded.DevCertificates;
import io.universepush.embedded.EmbeddedRedis;
import io.universepush.embedded.EmbeddedZooKeeper;
import io.universepush.rpc.connector.ConnectorService;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.rpc.subscribe.SubscribeService;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.message.MessageIds;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.redis.RedisStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.dubbo.config.spring.util.DubboBeanUtils;
import org.apache.dubbo.rpc.cluster.specifyaddress.Address;
import org.apache.dubbo.rpc.cluster.specifyaddress.UserSpecifiedAddressUtil;
import org.apache.dubbo.rpc.model.FrameworkServiceRepository;
import org.apache.dubbo.rpc.model.ModuleModel;
import org.apache.dubbo.rpc.model.ProviderModel;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Everything a connector runs against, started once per test run: embedded ZooKeeper and Redis, a SubscribeService
 * provider (its own Dubbo application over the real Redis stores), the connector application as in production on
 * random ports, and a separate Dubbo consumer that calls the connector the way push-api does: aimed at its address.
 */
final class ConnectorCluster implements ExtensionContext.Store.CloseableResource {
  static final String KEY_PREFIX = "ct:";
  /** Short, so the auth-timeout test is quick; clients in other tests send CONNECT at once. */
  static final Duration AUTH_TIMEOUT = Duration.ofSeconds(1);
  /** Short, so redelivery tests are quick; tests that leave pushes unacked do not care about the extra frames. */
  static final Duration REDELIVERY_TIMEOUT = Duration.ofMillis(300);
  static final int MAX_ATTEMPTS = 3;

  private final EmbeddedZooKeeper zookeeper;
  private final EmbeddedRedis redis;
  private final RedisStores stores;
  /** Every node of the cluster serves devices over TLS too, with this self-signed certificate. */
  private final DevCertificates certificates;
  private final DubboApp subscribeProvider;
  private final ConfigurableApplicationContext connector;
  private final DubboApp consumer;
  private final ConnectorService connectorService;
  private ConfigurableApplicationContext secondConnector;

  private ConnectorCluster() {
    zookeeper = EmbeddedZooKeeper.start(0);
    redis = EmbeddedRedis.start(0);
    stores = RedisStores.connect(redis.address(), KEY_PREFIX);
    certificates = DevCertificates.create(temporaryDirectory());
    subscribeProvider = new DubboApp("test-subscribe", zookeeper.connectString());
    subscribeProvider.provide(SubscribeService.class, new RedisSubscribeService(stores.apps(), stores.devices()));
    subscribeProvider.start();
    connector = startConnector("test-node-1", -1);
    consumer = new DubboApp("test-api", zookeeper.connectString());
    var reference = consumer.reference(ConnectorService.class);
    consumer.start();
    connectorService = reference.get();
    awaitReachable(node());
  }

  /**
   * @param dubboPort -1 for any free port. Connector applications in one JVM share Dubbo's default framework model,
   *     where every "-1" resolves to the same port and one node's ConnectorService would replace the other's: a
   *     second node needs a port of its own, as it has in production.
   */
  private ConfigurableApplicationContext startConnector(String nodeId, int dubboPort) {
    return startConnector(nodeId, dubboPort, redis.address());
  }

  private ConfigurableApplicationContext startConnector(
      String nodeId, int dubboPort, String redisAddress, String... overrides) {
    return startConnector(nodeId, dubboPort, redisAddress, null, overrides);
  }

  private ConfigurableApplicationContext startConnector(
      String nodeId,
      int dubboPort,
      String redisAddress,
      ApplicationContextInitializer<ConfigurableApplicationContext> initializer,
      String... overrides) {
    // Arguments, not builder properties: those are defaults, which connector.yml would override.
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--universe.push.zookeeper.address=" + zookeeper.connectString(),
                "--universe.push.redis.address=" + redisAddress,
                "--universe.push.redis.key-prefix=" + KEY_PREFIX,
                "--universe.push.connector.tcp-port=0",
                "--universe.push.connector.node-id=" + nodeId,
                "--universe.push.connector.auth-timeout=" + AUTH_TIMEOUT.toMillis() + "ms",
                "--universe.push.connector.load-report-interval=200ms",
                "--universe.push.connector.redelivery-timeout=" + REDELIVERY_TIMEOUT.toMillis() + "ms",
                "--universe.push.connector.max-attempts=" + MAX_ATTEMPTS,
                "--dubbo.protocol.port=" + dubboPort,
                "--dubbo.service.shutdown.wait=1000",
                "--spring.main.banner-mode=off",
                "--universe.push.connector.tls.enabled=true",
                "--universe.push.connector.tls.port=0",
                "--universe.push.connector.tls.key-store=" + certificates.keyStore(),
                "--universe.push.connector.tls.key-store-password=" + certificates.password(),
                "--universe.push.connector.websocket.port=0",
                "--universe.push.connector.mqtt.port=0",
                "--universe.push.connector.mqtt.tls=true",
                "--universe.push.connector.mqtt.tls-port=0",
                // Generous: many test classes share this node; rate-limit tests start nodes of their own.
                "--universe.push.connector.limits.frames-per-second=100000",
                "--universe.push.connector.limits.frame-burst=100000",
                "--universe.push.connector.limits.handshakes-per-second=100000"));
    // A test's overrides replace these arguments: Spring would join two values of one key with a comma.
    for (String override : overrides) {
      String key = override.substring(0, override.indexOf('=') + 1);
      arguments.removeIf(argument -> argument.startsWith(key));
      arguments.add(override);
    }
    SpringApplicationBuilder builder = ConnectorApplication.builder();
    if (initializer != null) {
      builder.initializers(initializer);
    }
    return builder.run(arguments.toArray(String[]::new));
  }

  private void awaitReachable(NodeAddress node) {
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> aimedAt(node, ConnectorService::stats).getNodeId().equals(node.nodeId()));
  }

  // --- access

  RedisStores stores() {
    return stores;
  }

  ConfigurableApplicationContext connector() {
    return connector;
  }

  int tcpPort() {
    return connector.getBean(TcpServer.class).port();
  }

  int tlsPort() {
    return connector.getBean(TcpServer.class).tlsPort();
  }

  int wsPort() {
    return connector.getBean(TcpServer.class).listenerPort(WebSocketListener.NAME);
  }

  int mqttPort() {
    return connector.getBean(TcpServer.class).listenerPort(MqttListener.NAME);
  }

  int mqttTlsPort() {
    return connector.getBean(TcpServer.class).listenerPort(MqttListener.TLS_NAME);
  }

  DevCertificates certificates() {
    return certificates;
  }

  NodeAddress node() {
    return connector.getBean(LocalNode.class).address();
  }

  String zookeeperAddress() {
    return zookeeper.connectString();
  }

  /** A connector node of the caller's own (it closes it), reachable through Dubbo when this returns. */
  ConfigurableApplicationContext startExtraConnector(String nodeId) {
    ConfigurableApplicationContext context = startConnector(nodeId, freePort());
    awaitReachable(context.getBean(LocalNode.class).address());
    return context;
  }

  /**
   * A connector node of the caller's own on another Redis than the rest of the cluster (push-subscribe's stand-in
   * keeps the shared one), to take the node's store away while authentication still works.
   */
  ConfigurableApplicationContext startExtraConnector(String nodeId, String redisAddress) {
    ConfigurableApplicationContext context = startConnector(nodeId, freePort(), redisAddress);
    awaitReachable(context.getBean(LocalNode.class).address());
    return context;
  }

  /**
   * A connector node of the caller's own whose context the initializer prepares first (e.g. a bean post-processor
   * that wraps a store to inject faults), with some settings of its own.
   */
  ConfigurableApplicationContext startExtraConnectorWith(
      String nodeId,
      ApplicationContextInitializer<ConfigurableApplicationContext> initializer,
      String... overrides) {
    ConfigurableApplicationContext context =
        startConnector(nodeId, freePort(), redis.address(), initializer, overrides);
    awaitReachable(context.getBean(LocalNode.class).address());
    return context;
  }

  /**
   * A connector node of the caller's own with some settings of its own, e.g.
   * {@code "--universe.push.connector.max-connections=2"}.
   */
  ConfigurableApplicationContext startExtraConnectorWith(String nodeId, String... overrides) {
    ConfigurableApplicationContext context = startConnector(nodeId, freePort(), redis.address(), overrides);
    awaitReachable(context.getBean(LocalNode.class).address());
    return context;
  }

  /**
   * Closes a node the caller started. Connector applications in one JVM share Dubbo's framework-wide service
   * repository, keyed by interface: closing one node's ConnectorService removes the entry the others decode their
   * requests with ("Fail to decode request"). The nodes still running register theirs again. One connector per
   * process, as in production, never meets this.
   */
  void stopExtraConnector(ConfigurableApplicationContext extra) {
    extra.close();
    reRegisterProviders(connector);
    if (secondConnector != null && secondConnector.isActive()) {
      reRegisterProviders(secondConnector);
    }
  }

  private static void reRegisterProviders(ConfigurableApplicationContext node) {
    ModuleModel module = DubboBeanUtils.getModuleModel(node.getBeanFactory());
    FrameworkServiceRepository shared = module.getApplicationModel().getFrameworkModel().getServiceRepository();
    for (ProviderModel provider : module.getServiceRepository().getExportedServices()) {
      shared.registerProvider(provider);
    }
  }

  /** A second connector node, started on first use (cross-node takeover). */
  synchronized ConfigurableApplicationContext secondConnector() {
    if (secondConnector == null) {
      secondConnector = startExtraConnector("test-node-2");
    }
    return secondConnector;
  }

  /** A ConnectorService call aimed at one node, as push-api makes it. */
  <T> T aimedAt(NodeAddress node, Function<ConnectorService, T> call) {
    UserSpecifiedAddressUtil.setAddress(new Address(node.dubboHost(), node.dubboPort(), false));
    return call.apply(connectorService);
  }

  DeliveryReport deliver(Delivery... deliveries) {
    return aimedAt(node(), service -> service.deliver(new ArrayList<>(List.of(deliveries))));
  }

  // --- fixtures

  String newApp() {
    return stores.apps().create("connector-test").app().appId();
  }

  DeviceRegistration newDevice(String appId) {
    return stores.devices().register(appId, "android", null, Set.of());
  }

  DeviceRegistration newDevice(String appId, String platform, Set<String> tags) {
    return stores.devices().register(appId, platform, null, tags);
  }

  /** A message stored with a pending entry for the device, as push-api stores one before delivering. */
  StoredMessage storePending(String appId, String regId, String payload) {
    return storePending(appId, regId, payload, Duration.ofMinutes(1));
  }

  StoredMessage storePending(String appId, String regId, String payload, Duration ttl) {
    StoredMessage message = message(appId, payload, ttl);
    stores.messages().saveWithPending(message, List.of(regId));
    return message;
  }

  /** A message as push-api builds one (not stored). */
  static StoredMessage message(String appId, String payload, Duration ttl) {
    long now = System.currentTimeMillis();
    return new StoredMessage(
        MessageIds.next(),
        appId,
        payload.getBytes(StandardCharsets.UTF_8),
        "title",
        "alert",
        Map.of("k", "v"),
        now,
        now + ttl.toMillis());
  }

  static Delivery delivery(StoredMessage message, String regId) {
    Delivery delivery = new Delivery();
    delivery.setMsgId(message.msgId());
    delivery.setAppId(message.appId());
    delivery.setRegId(regId);
    delivery.setPayload(message.payload());
    delivery.setTitle(message.title());
    delivery.setAlert(message.alert());
    delivery.setExtras(new LinkedHashMap<>(message.extras()));
    delivery.setExpiresAtMs(message.expiresAtMs());
    delivery.setSentAtMs(message.createdAtMs());
    return delivery;
  }

  @Override
  public void close() {
    closeQuietly(consumer);
    if (secondConnector != null) {
      secondConnector.close();
    }
    connector.close();
    closeQuietly(subscribeProvider);
    stores.close();
    redis.close();
    zookeeper.close();
    deleteQuietly(certificates);
  }

  private static void deleteQuietly(DevCertificates certificates) {
    try {
      Files.deleteIfExists(certificates.keyStore());
      Files.deleteIfExists(certificates.trustStore());
      Files.deleteIfExists(certificates.certificatePem());
      Files.deleteIfExists(certificates.keyStore().getParent());
    } catch (IOException e) {
      // a temporary directory: the system cleans it up eventually
    }
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("connector-tls");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // shutting down anyway
    }
  }

  /** Hands the shared cluster to test classes: {@code @BeforeAll static void setUp(ConnectorCluster cluster)}. */
  static final class Extension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == ConnectorCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context
          .getRoot()
          .getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent(ConnectorCluster.class, key -> new ConnectorCluster(), ConnectorCluster.class);
    }
  }
}
