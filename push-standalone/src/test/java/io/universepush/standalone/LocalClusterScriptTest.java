package io.universepush.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/local-cluster.sh for real: push-infra, push-sub, two connectors and push-api as separate processes
 * (started through scripts/boot), on a block of free ports, and nothing left running after stop.
 */
class LocalClusterScriptTest {
  /** local-cluster.sh uses BASE_PORT .. BASE_PORT + 69. */
  private static final int PORT_BLOCK = 70;

  private static final Path SCRIPT = Path.of("..", "scripts", "local-cluster.sh").toAbsolutePath().normalize();

  @TempDir Path clusterDir;

  @Test
  void startsTwoConnectorsThatPushApiLists_andStopLeavesNoProcess() throws Exception {
    int basePort = freePortBlock();
    List<ProcessHandle> started = new ArrayList<>();
    try {
      Process start = script(basePort, "start", "2");
      assertThat(start.waitFor(240, TimeUnit.SECONDS)).as("start finished").isTrue();
      started.addAll(clusterProcesses());
      assertThat(start.exitValue()).as("start output:%n%s", output("start")).isZero();

      String cluster = get("http://127.0.0.1:" + (basePort + 4) + "/v1/cluster");
      assertThat(cluster)
          .contains("\"node_count\":2", "\"node_id\":\"connector-1\"", "\"node_id\":\"connector-2\"")
          .contains("\"tcp_port\":" + (basePort + 11), "\"tcp_port\":" + (basePort + 12));
      // infra, push-sub, two connectors, push-api and push-group.
      assertThat(started).hasSize(6);
      String groups = get("http://127.0.0.1:" + (basePort + 5) + "/v1/groups/none");
      assertThat(groups).contains("unauthorized");

      Process status = script(basePort, "status");
      assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(status.exitValue()).as("status output:%n%s", output("status")).isZero();
    } finally {
      started.addAll(clusterProcesses());
      Process stop = script(basePort, "stop");
      assertThat(stop.waitFor(120, TimeUnit.SECONDS)).as("stop finished").isTrue();
      // Embedded Redis is a child process of push-infra: it must be gone too.
      List<ProcessHandle> all =
          started.stream().flatMap(p -> Stream.concat(Stream.of(p), p.descendants())).toList();
      for (ProcessHandle process : all) {
        process.onExit().get(10, TimeUnit.SECONDS);
      }
      assertThat(all).noneMatch(ProcessHandle::isAlive);
      assertThat(ProcessHandle.allProcesses())
          .noneMatch(p -> p.info().commandLine().orElse("").contains(clusterDir.toString()));
    }
  }

  /** Runs the script against this test's state folder and ports, from the freshly compiled classes. */
  private Process script(int basePort, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(clusterDir.resolve(args[0] + ".out").toFile());
    Map<String, String> env = builder.environment();
    env.put("BASE_PORT", Integer.toString(basePort));
    env.put("LOCAL_CLUSTER_DIR", clusterDir.toString());
    env.put("UNIVERSE_PUSH_CLASSPATH", serviceClassPath());
    // Short-lived JVMs: the C1 compiler alone starts them noticeably faster.
    env.put("JAVA_OPTS", "-XX:TieredStopAtLevel=1");
    env.remove("ZK");
    env.remove("REDIS");
    return builder.start();
  }

  /** This test's class path without the test classes (their logback-test.xml is not the services'). */
  private static String serviceClassPath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** The processes named by the pid files the boot scripts wrote under this test's state folder. */
  private List<ProcessHandle> clusterProcesses() throws IOException {
    try (Stream<Path> files = Files.walk(clusterDir)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith(".pid"))
          .map(LocalClusterScriptTest::readPid)
          .flatMap(pid -> ProcessHandle.of(pid).stream())
          .toList();
    }
  }

  private static long readPid(Path file) {
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("unreadable pid file " + file, e);
    }
  }

  private String output(String action) throws IOException {
    return Files.readString(clusterDir.resolve(action + ".out"));
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  /** A run of free ports, so the cluster never meets the defaults or another suite's ports. */
  private static int freePortBlock() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      if (allFree(base)) {
        return base;
      }
    }
    throw new IllegalStateException("no block of " + PORT_BLOCK + " free ports");
  }

  private static boolean allFree(int base) {
    for (int port = base; port < base + PORT_BLOCK; port++) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
