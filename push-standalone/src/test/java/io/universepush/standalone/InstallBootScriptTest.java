package io.universepush.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/install-boot.sh into a temporary BOOT_HOME, then one installed service (push-infra: it needs nothing
 * else) through its single script: start, status while running, stop (graceful, waits), status when stopped.
 */
class InstallBootScriptTest {
  private static final Path INSTALL =
      Path.of("..", "scripts", "install-boot.sh").toAbsolutePath().normalize();

  @TempDir Path bootHome;
  @TempDir Path work;

  @Test
  void installedServiceStartsReportsItsPidAndStopsGracefully() throws Exception {
    // The jar is built after the tests; the scripts run the compiled classes instead (UNIVERSE_PUSH_CLASSPATH).
    Path jar = work.resolve("push-standalone.jar");
    Files.writeString(jar, "stand-in");
    Files.createDirectories(bootHome.resolve("push-connector"));
    Files.writeString(bootHome.resolve("push-connector/jvm.ini"), "-Xmx64m\n");

    Result install = run(List.of("bash", INSTALL.toString(), bootHome.toString(), jar.toString()));
    assertThat(install.code).as(install.output).isZero();
    for (String service : List.of("push-infra", "push-sub", "push-connector", "push-api")) {
      Path dir = bootHome.resolve(service);
      assertThat(dir.resolve(service)).isExecutable();
      assertThat(dir.resolve("start")).isExecutable();
      assertThat(dir.resolve("jvm.ini")).isRegularFile();
      assertThat(dir.resolve("lib/push-standalone.jar")).isRegularFile();
      assertThat(dir.resolve("log")).isDirectory();
    }
    assertThat(Files.readString(bootHome.resolve("push-connector/jvm.ini"))).as("kept").isEqualTo("-Xmx64m\n");

    Path script = bootHome.resolve("push-infra/push-infra");
    int zkPort = freePort();
    int redisPort = freePort();
    try {
      Result start =
          run(List.of(script.toString(), "start", "--zookeeper-port=" + zkPort, "--redis-port=" + redisPort));
      assertThat(start.code).as(start.output).isZero();
      Result running = run(List.of(script.toString(), "status"));
      assertThat(running.code).as(running.output).isZero();
      assertThat(running.output).contains("push-infra: running (pid ");
      long pid = Long.parseLong(Files.readString(bootHome.resolve("push-infra/run/push-infra.pid")).trim());

      Result stop = run(List.of(script.toString(), "stop"));
      assertThat(stop.code).as(stop.output).isZero();
      assertThat(stop.output).contains("push-infra stopped (pid " + pid + ")");
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("gone once stop returns").isFalse();
      Result stopped = run(List.of(script.toString(), "status"));
      assertThat(stopped.code).isEqualTo(3);
      assertThat(stopped.output).contains("push-infra: stopped");
    } finally {
      run(List.of(script.toString(), "stop"));
    }
  }

  private record Result(int code, String output) {}

  private Result run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    Path out = Files.createTempFile(work, "out", ".txt");
    builder.redirectOutput(out.toFile());
    builder.environment().put("UNIVERSE_PUSH_CLASSPATH", serviceClassPath());
    builder.environment().put("JAVA_OPTS", "-XX:TieredStopAtLevel=1");
    Process process = builder.start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish: " + Files.readString(out));
    }
    return new Result(process.exitValue(), Files.readString(out));
  }

  private static String serviceClassPath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
