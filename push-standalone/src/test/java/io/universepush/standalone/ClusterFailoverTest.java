package io.universepush.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.connector.ConnectorApplication;
import io.universepush.connector.node.LocalNode;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.FrameInputStream;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.sdk.PushClient;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import io.universepush.store.node.ConnectorNode;
import io.universepush.store.node.NodeDirectory;
import io.universepush.store.route.Route;
import io.universepush.store.route.RouteStore;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real cluster of three connectors: the one {@link LocalCluster} runs, a second one in this JVM (its own Spring
 * context, Dubbo application and ports) and a third as a separate OS process started from the test class path, which
 * the failover test kills with SIGKILL and the drain test stops with SIGTERM. Devices are SDK clients that find their
 * connector through routing; every count is checked at the SDK listeners.
 */
class ClusterFailoverTest {
  private static final Logger log = LoggerFactory.getLogger(ClusterFailoverTest.class);
  private static final Duration ZK_SESSION_TIMEOUT = Duration.ofSeconds(10);
  /** Long heartbeats: a route's TTL (idle timeout + 30 s) is minutes, far beyond any assertion window here. */
  private static final long HEARTBEAT_MS = TimeUnit.MINUTES.toMillis(5);
  /** The extra connectors' own listeners; LocalCluster's connector takes its ports from ClusterPorts. */
  private static final List<String> EXTRA_CONNECTOR_PORTS =
      List.of("--universe.push.connector.websocket.port=0", "--universe.push.connector.mqtt.port=0");

  private static final List<String> ARGS =
      List.of(
          "--dubbo.service.shutdown.wait=1000",
          "--universe.push.connector.load-report-interval=200ms",
          "--universe.push.zookeeper.session-timeout=" + ZK_SESSION_TIMEOUT.toSeconds() + "s",
          "--universe.push.api.limits.open-registrations-per-second=100000",
          "--universe.push.api.limits.open-registration-burst=100000",
          "--universe.push.api.limits.open-registrations-per-minute-per-ip=1000000",
          "--universe.push.api.limits.open-registration-burst-per-ip=100000",
          "--universe.push.api.limits.reads-per-second=100000",
          "--universe.push.api.limits.read-burst=100000",
          "--universe.push.api.limits.registrations-per-second=100000",
          "--universe.push.api.limits.registration-burst=100000");

  private static LocalCluster cluster;
  private static ConfigurableApplicationContext secondConnector;
  private static final ClusterHttp http = new ClusterHttp();

  @TempDir static Path logs;

  private final List<Device> devices = new CopyOnWriteArrayList<>();
  private final List<ConnectorProcess> processes = new ArrayList<>();
  private String appId;
  private String appAuth;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start(ClusterPorts.random(), ARGS);
    List<String> args = new ArrayList<>(connectorArgs("node-b"));
    args.add("--spring.main.banner-mode=off");
    args.addAll(ARGS);
    args.addAll(EXTRA_CONNECTOR_PORTS);
    secondConnector = ConnectorApplication.builder().registerShutdownHook(false).run(args.toArray(String[]::new));
  }

  @AfterAll
  static void stopCluster() {
    if (secondConnector != null) {
      secondConnector.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void closeDevices() {
    devices.forEach(device -> device.client.close());
    // SIGTERM: a killed node would linger in the directory for its session timeout and attract the next test's devices.
    processes.forEach(ConnectorProcess::stop);
  }

  private void newApp() {
    ClusterHttp.Reply app = http.post(cluster.adminUrl() + "/v1/apps", null, "{\"name\":\"failover\"}");
    assertThat(app.status()).isEqualTo(201);
    appId = app.body().get("app_id").asText();
    appAuth = ClusterHttp.basic(appId, app.body().get("app_secret").asText());
  }

  // ------------------------------------------------------------------ tests

  @Test
  void threeHundredDevicesSpreadOverThreeConnectorsGetEachPushExactlyOnce() {
    newApp();
    processes.add(ConnectorProcess.start("node-c-spread"));
    long started = System.nanoTime();
    connectInWaves(300, 30);
    Map<String, Long> perNode = devicesPerNode();
    log.info("300 devices connected in {} ms: {}", millisSince(started), perNode);
    assertThat(perNode).containsOnlyKeys(nodeA(), "node-b", "node-c-spread");
    assertThat(perNode.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(60));

    started = System.nanoTime();
    Map<Device, String> unicast = new ConcurrentHashMap<>();
    devices.parallelStream().forEach(device -> unicast.put(device, pushTo(List.of(device), 600)));
    String broadcast = pushToAll(600);

    awaitEveryDeviceHas(Duration.ofSeconds(60), device -> Set.of(unicast.get(device), broadcast));
    log.info("300 unicast pushes and one broadcast reached 300 devices in {} ms", millisSince(started));
  }

  @Test
  void aConnectorKilledWithSigkillLosesNothingAndSurvivorsClearItsRoutes() throws Exception {
    newApp();
    ConnectorProcess doomed = ConnectorProcess.start("node-c");
    processes.add(doomed);
    connectInWaves(150, 25);
    List<Device> onDoomed = devices.stream().filter(d -> "node-c".equals(d.listener.nodeId.get())).toList();
    assertThat(onDoomed).hasSizeGreaterThanOrEqualTo(25);
    // A route of node-c that no device will overwrite by reconnecting: only a survivor can clear it before its TTL.
    RouteStore routes = cluster.apiContext().getBean(RouteStore.class);
    ConnectorNode c = directory().find("node-c").orElseThrow();
    routes.put(new Route("orphan-" + appId, appId, "node-c", "127.0.0.1", c.dubboPort(), now()), Duration.ofMinutes(10));

    List<String> sent = new CopyOnWriteArrayList<>();
    List<Device> everyone = List.copyOf(devices);
    Thread pusher =
        new Thread(
            () -> {
              for (int i = 0; i < 20; i++) {
                sent.add(pushTo(everyone, 600));
                if (i == 6) {
                  sent.add(pushToAll(600));
                }
              }
            },
            "test-pusher");
    pusher.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> sent.size() >= 4);
    long killedAt = System.nanoTime();
    doomed.kill();
    pusher.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(pusher.isAlive()).isFalse();
    sent.add(pushToAll(600));

    // Survivors, not expiry: the window is the ZooKeeper session timeout, the routes' TTL is minutes.
    await()
        .atMost(ZK_SESSION_TIMEOUT.plusSeconds(8))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> routes.find("orphan-" + appId).isEmpty() && directory().find("node-c").isEmpty());
    long clearedMs = millisSince(killedAt);
    assertThat(routes.lastSeen("orphan-" + appId)).isPresent();
    assertThat(routes.countByNode("node-c")).isZero();
    log.info("node-c killed; its routes cleared by survivors {} ms later", clearedMs);

    Set<String> expected = Set.copyOf(sent);
    awaitEveryDeviceHas(Duration.ofSeconds(90), device -> expected);
    log.info(
        "{} pushes ({} devices, {} on the killed node) all delivered exactly once {} ms after the kill",
        expected.size(),
        everyone.size(),
        onDoomed.size(),
        millisSince(killedAt));
    assertThat(onDoomed).allSatisfy(d -> assertThat(d.listener.nodeId.get()).isNotEqualTo("node-c"));
    assertThat(routes.findAll(everyone.stream().map(d -> d.regId).toList()).values())
        .noneMatch(route -> route.nodeId().equals("node-c"));
  }

  @Test
  void aStoppedConnectorDisconnectsWithARedirectToALiveNodeAndItsDevicesMoveThere() throws Exception {
    newApp();
    ConnectorProcess draining = ConnectorProcess.start("node-d");
    processes.add(draining);
    ConnectorNode d = directory().find("node-d").orElseThrow();
    Set<String> liveTcp =
        directory().liveNodes().stream()
            .filter(node -> !node.nodeId().equals("node-d"))
            .map(node -> node.host() + ":" + node.tcpPort())
            .collect(Collectors.toSet());
    List<Device> onD = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      onD.add(connect(register(), d));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> onD.stream().allMatch(dev -> "node-d".equals(dev.listener.nodeId.get())));
    Device raw = register();
    try (Socket socket = new Socket(d.host(), d.tcpPort())) {
      socket.setSoTimeout(30_000);
      FrameInputStream frames = new FrameInputStream(socket.getInputStream(), 1 << 20);
      Connect connect =
          Connect.newBuilder()
              .addBindings(Binding.newBuilder().setAppId(appId).setRegId(raw.regId).setToken(raw.token))
              .setHeartbeatIntervalMs((int) HEARTBEAT_MS)
              .setPlatform("android")
              .build();
      socket.getOutputStream().write(FrameEncoder.encode(Frame.v3(Signal.CONNECT, 0, 1, connect)));
      assertThat(frames.read().signal()).isEqualTo(Signal.CONNECT_ACK);
      String queued = pushTo(onD, 600);

      long stoppedAt = System.nanoTime();
      draining.stop();

      Frame frame = frames.read();
      assertThat(frame.signal()).isEqualTo(Signal.DISCONNECT);
      Disconnect disconnect = Disconnect.parseFrom(FrameEncoder.bodyOf(frame));
      assertThat(disconnect.getReasonCode()).isEqualTo(DisconnectReason.SERVER_SHUTDOWN.code());
      assertThat(disconnect.getRedirectList()).isNotEmpty().allSatisfy(hp -> assertThat(liveTcp).contains(hp));
      assertThat(directory().find("node-d")).isEmpty();

      String afterStop = pushTo(onD, 600);
      awaitEveryDeviceHas(onD, Duration.ofSeconds(30), device -> Set.of(queued, afterStop));
      assertThat(onD)
          .allSatisfy(
              dev -> {
                assertThat(dev.listener.disconnects).anyMatch(r -> r.contains("SERVER_SHUTDOWN"));
                assertThat(dev.listener.nodeId.get()).isIn(nodeA(), "node-b");
              });
      log.info(
          "node-d drained: redirect {}, its 10 devices on {} within {} ms",
          disconnect.getRedirectList(),
          onD.stream().map(dev -> dev.listener.nodeId.get()).collect(Collectors.toSet()),
          millisSince(stoppedAt));
    }
  }

  @Test
  void theSameDeviceConnectingOnAnotherNodeClosesItsOldSession() {
    newApp();
    Device device = register();
    ConnectorNode a = directory().find(nodeA()).orElseThrow();
    ConnectorNode b = directory().find("node-b").orElseThrow();
    // After a takeover a client waits its longest back-off before trying again: long enough here.
    Device first = connect(device, a, 60_000);
    await().atMost(Duration.ofSeconds(20)).until(() -> nodeA().equals(first.listener.nodeId.get()));
    Device second = connect(new Device(device.regId, device.token), b);
    await().atMost(Duration.ofSeconds(20)).until(() -> "node-b".equals(second.listener.nodeId.get()));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> first.listener.disconnects.stream().anyMatch(r -> r.contains("SESSION_TAKEN_OVER")));
    RouteStore routes = cluster.apiContext().getBean(RouteStore.class);
    assertThat(routes.find(device.regId)).hasValueSatisfying(r -> assertThat(r.nodeId()).isEqualTo("node-b"));
    // The old client backs off for long after a takeover: the push goes to the new session only.
    first.client.close();
    String msgId = pushTo(List.of(second), 600);
    await().atMost(Duration.ofSeconds(20)).until(() -> second.listener.count(msgId) == 1);
    assertThat(first.listener.count(msgId)).isZero();
  }

  // ------------------------------------------------------------------ devices and pushes

  /** Connects devices in waves, each wave once the previous one's load is in the directory, so routing spreads them. */
  private void connectInWaves(int total, int wave) {
    List<Device> all = new ArrayList<>();
    for (int from = 0; from < total; from += wave) {
      List<Device> batch = new ArrayList<>();
      for (int i = from; i < Math.min(total, from + wave); i++) {
        batch.add(connect(register(), null));
      }
      all.addAll(batch);
      int expected = all.size();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> batch.stream().allMatch(d -> d.listener.nodeId.get() != null));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> directory().liveNodes().stream().mapToInt(ConnectorNode::connections).sum() >= expected);
    }
  }

  private Device register() {
    ClusterHttp.Reply reply =
        http.postWithHeader(cluster.apiUrl() + "/v1/devices", "X-App-Id", appId, "{\"platform\":\"android\"}");
    assertThat(reply.status()).as("registration: %s", reply.body()).isEqualTo(201);
    return new Device(reply.body().get("reg_id").asText(), reply.body().get("token").asText());
  }

  /** Through routing (least loaded first), or straight to {@code node} when given. */
  private Device connect(Device device, ConnectorNode node) {
    return connect(device, node, 2000);
  }

  private Device connect(Device device, ConnectorNode node, long maxBackoffMs) {
    PushClient.Builder builder =
        PushClient.builder()
            .apiUrl(cluster.apiUrl())
            .credentials(appId, device.regId, device.token)
            .heartbeatInterval(HEARTBEAT_MS)
            .reconnectBackoff(200, maxBackoffMs)
            .listener(device.listener);
    if (node != null) {
      builder.endpoint(node.host(), node.tcpPort());
    }
    device.client = builder.build();
    device.client.connect();
    devices.add(device);
    return device;
  }

  private String pushTo(List<Device> to, int ttl) {
    String regIds = to.stream().map(d -> "\"" + d.regId + "\"").collect(Collectors.joining(","));
    return push("{\"audience\":{\"reg_ids\":[" + regIds + "]},\"message\":{\"n\":1},\"ttl\":" + ttl + "}", to.size());
  }

  private String pushToAll(int ttl) {
    return push("{\"audience\":\"all\",\"message\":{\"all\":true},\"ttl\":" + ttl + "}", -1);
  }

  private String push(String body, int accepted) {
    ClusterHttp.Reply reply = http.post(cluster.apiUrl() + "/v1/push", appAuth, body);
    assertThat(reply.status()).as("push: %s", reply.body()).isEqualTo(200);
    if (accepted >= 0) {
      assertThat(reply.body().get("accepted").asInt()).isEqualTo(accepted);
    }
    return reply.body().get("msg_id").asText();
  }

  private void awaitEveryDeviceHas(Duration patience, java.util.function.Function<Device, Set<String>> expected) {
    awaitEveryDeviceHas(devices, patience, expected);
  }

  /** Each device got exactly the expected messages, each once. */
  private static void awaitEveryDeviceHas(
      List<Device> which, Duration patience, java.util.function.Function<Device, Set<String>> expected) {
    await()
        .atMost(patience)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              List<String> missing = new ArrayList<>();
              for (Device device : which) {
                Set<String> want = expected.apply(device);
                if (!device.listener.received.keySet().containsAll(want)) {
                  missing.add(device.regId);
                }
              }
              assertThat(missing).as("devices still missing messages").isEmpty();
            });
    for (Device device : which) {
      assertThat(device.listener.received.keySet()).containsExactlyInAnyOrderElementsOf(expected.apply(device));
      assertThat(device.listener.received.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    }
  }

  private Map<String, Long> devicesPerNode() {
    return devices.stream().collect(Collectors.groupingBy(d -> d.listener.nodeId.get(), Collectors.counting()));
  }

  private static NodeDirectory directory() {
    return cluster.apiContext().getBean(NodeDirectory.class);
  }

  private static String nodeA() {
    return cluster.connectorContext().getBean(LocalNode.class).nodeId();
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private static List<String> connectorArgs(String nodeId) {
    return List.of(
        "--universe.push.zookeeper.address=" + cluster.zooKeeper().connectString(),
        "--universe.push.redis.address=" + cluster.redis().address(),
        "--universe.push.connector.tcp-port=0",
        "--universe.push.connector.node-id=" + nodeId,
        "--dubbo.protocol.port=" + ClusterPorts.freePort());
  }

  static final class Device {
    final String regId;
    final String token;
    final Listener listener = new Listener();
    PushClient client;

    Device(String regId, String token) {
      this.regId = regId;
      this.token = token;
    }
  }

  /** What the SDK handed to the app: each message id with how often, the node of the latest connection. */
  static final class Listener implements PushListener {
    final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    final AtomicReference<String> nodeId = new AtomicReference<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();

    @Override
    public void onConnected(String node) {
      nodeId.set(node);
    }

    @Override
    public void onDisconnected(String reason) {
      disconnects.add(reason);
    }

    @Override
    public void onMessage(PushMessage message) {
      received.computeIfAbsent(message.msgId(), id -> new AtomicInteger()).incrementAndGet();
    }

    int count(String msgId) {
      AtomicInteger count = received.get(msgId);
      return count == null ? 0 : count.get();
    }
  }

  /** A connector as a process of its own: {@code java -cp <test class path> UniversePush connector ...}. */
  static final class ConnectorProcess {
    private final String nodeId;
    private final Process process;
    private final Path logFile;

    private ConnectorProcess(String nodeId, Process process, Path logFile) {
      this.nodeId = nodeId;
      this.process = process;
      this.logFile = logFile;
    }

    static ConnectorProcess start(String nodeId) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-Xmx384m",
                  "-Ddubbo.network.interface.ignored=" + System.getProperty("dubbo.network.interface.ignored"),
                  "-cp",
                  serviceClassPath(),
                  UniversePush.class.getName(),
                  "connector"));
      command.addAll(connectorArgs(nodeId));
      command.addAll(ARGS);
      command.addAll(EXTRA_CONNECTOR_PORTS);
      Path logFile = logs.resolve(nodeId + "-" + System.nanoTime() + ".log");
      try {
        Process process =
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        ConnectorProcess connector = new ConnectorProcess(nodeId, process, logFile);
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  assertThat(process.isAlive()).as("%s exited:%n%s", nodeId, connector.output()).isTrue();
                  return directory().find(nodeId).isPresent();
                });
        return connector;
      } catch (IOException e) {
        throw new IllegalStateException("cannot start connector " + nodeId, e);
      }
    }

    /** SIGKILL: no goodbye, no deregistration; its ZooKeeper session has to expire. */
    void kill() {
      if (process.isAlive()) {
        process.destroyForcibly();
        waitFor();
      }
    }

    /** SIGTERM: Spring's shutdown hook runs the drain. */
    void stop() {
      if (process.isAlive()) {
        process.destroy();
        waitFor();
      }
    }

    private void waitFor() {
      try {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s exited", nodeId).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    String output() {
      try {
        return Files.readString(logFile);
      } catch (IOException e) {
        return "(no output: " + e.getMessage() + ")";
      }
    }

    /** The test's class path without the test classes (their logback-test.xml is not the services'). */
    private static String serviceClassPath() {
      return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
          .filter(entry -> !entry.endsWith("test-classes"))
          .collect(Collectors.joining(File.pathSeparator));
    }
  }
}
