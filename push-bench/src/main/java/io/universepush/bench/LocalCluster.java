package io.universepush.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster started by {@code scripts/local-cluster.sh} with every port shifted to {@code basePort} (so it never
 * meets the default ports of other clusters on the machine), one process per service.
 */
final class LocalCluster implements AutoCloseable {
  private final Path script;
  private final Path stateDir;
  private final int basePort;
  private final int connectors;

  private LocalCluster(Path script, Path stateDir, int basePort, int connectors) {
    this.script = script;
    this.stateDir = stateDir;
    this.basePort = basePort;
    this.connectors = connectors;
  }

  static LocalCluster start(Path repo, Path stateDir, int basePort, int connectors, List<String> extraArgs)
      throws IOException, InterruptedException {
    LocalCluster cluster =
        new LocalCluster(repo.resolve("scripts/local-cluster.sh"), stateDir, basePort, connectors);
    List<String> command = new ArrayList<>(List.of(cluster.script.toString(), "start", Integer.toString(connectors)));
    command.addAll(extraArgs);
    if (cluster.run(command, Duration.ofMinutes(5)) != 0) {
      cluster.close();
      throw new IOException("local-cluster.sh start failed (logs in " + stateDir + ")");
    }
    return cluster;
  }

  String apiUrl() {
    return "http://127.0.0.1:" + (basePort + 3);
  }

  String adminUrl() {
    return "http://127.0.0.1:" + (basePort + 4);
  }

  int connectorPort(int i) {
    return basePort + 10 + i;
  }

  int connectors() {
    return connectors;
  }

  /** The pid of connector i (1-based), from its boot pid file. */
  long connectorPid(int i) throws IOException {
    String name = "connector-" + i;
    return Long.parseLong(Files.readString(stateDir.resolve(name).resolve("run").resolve(name + ".pid")).trim());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run(List.of(script.toString(), "stop"), Duration.ofMinutes(2));
  }

  private int run(List<String> command, Duration timeout) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().put("BASE_PORT", Integer.toString(basePort));
    builder.environment().put("LOCAL_CLUSTER_DIR", stateDir.toString());
    // A busy machine (parallel builds) starts JVMs slowly; the benchmark would rather wait than fail.
    builder.environment().putIfAbsent("START_TIMEOUT", "300");
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  /** The repository root: the folder holding scripts/local-cluster.sh, searched upwards from the working folder. */
  static Path findRepo(Path from) {
    for (Path p = from.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("scripts/local-cluster.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("scripts/local-cluster.sh not found above " + from.toAbsolutePath()
        + ": run from the repository or give --repo");
  }
}
