package io.universepush.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * N devices connect at once to one connector, from as many client processes (each on its own source address
 * 127.0.0.2, 127.0.0.3, ...) as the per-process socket limit needs; reports how long until all are authenticated, how
 * many were refused or timed out, and the connector's heap and RSS per connection after a full GC.
 */
@Command(name = "storm", mixinStandardHelpOptions = true, description = "N devices connect at once to one connector.")
final class StormCommand implements Callable<Integer> {
  @Option(names = "--devices", defaultValue = "19000", description = "Devices connecting (default ${DEFAULT-VALUE}).")
  int devices;

  @Option(
      names = "--kind",
      defaultValue = "legacy",
      description = "legacy: v2 SUB with a uid (no registration needed); v3: CONNECT of devices registered first.")
  String kind;

  @Option(
      names = "--per-process",
      defaultValue = "9500",
      description = "Sockets per client process (ulimit -n is per process; default ${DEFAULT-VALUE}).")
  int perProcess;

  @Option(names = "--timeout-ms", defaultValue = "60000", description = "How long a device waits for its answer.")
  long timeoutMs;

  @Option(names = "--base-port", description = "Ports of the cluster started here (default: random in 20000..40000).")
  Integer basePort;

  @Option(names = "--repo", description = "Repository root (scripts/local-cluster.sh); default: found upwards.")
  Path repo;

  @Option(names = "--out", description = "Write the results as JSON to this file.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path root = repo != null ? repo : LocalCluster.findRepo(Path.of(""));
    int base = basePort != null ? basePort : 20000 + 100 * ThreadLocalRandom.current().nextInt(200);
    Path state = Files.createTempDirectory("push-bench-storm-");
    Report report = new Report("storm");
    try (LocalCluster cluster = LocalCluster.start(root, state, base, 1, List.of())) {
      long pid = cluster.connectorPid(1);
      long heapBefore = ProcessProbe.heapAfterGcBytes(pid);
      long rssBefore = ProcessProbe.rssBytes(pid);
      Path credentials = null;
      if ("v3".equals(kind)) {
        credentials = registerDevices(new ClusterApi(cluster.apiUrl(), cluster.adminUrl()), state);
      }
      int processes = (devices + perProcess - 1) / perProcess;
      long startAt = System.currentTimeMillis() + 2000 + 300L * processes;
      List<Process> clients = new ArrayList<>();
      for (int k = 0; k < processes; k++) {
        int first = k * perProcess;
        int count = Math.min(perProcess, devices - first);
        List<String> command =
            new ArrayList<>(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g",
                    "-cp",
                    System.getProperty("java.class.path"),
                    PushBench.class.getName(),
                    "storm-client",
                    "--port=" + cluster.connectorPort(1),
                    "--source=127.0.0." + (2 + k),
                    "--first=" + first,
                    "--count=" + count,
                    "--kind=" + kind,
                    "--uid-prefix=storm-" + base + "-",
                    "--start-at=" + startAt,
                    "--timeout-ms=" + timeoutMs));
        if (credentials != null) {
          command.add("--credentials=" + credentials);
        }
        clients.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
      }
      ObjectMapper json = new ObjectMapper();
      List<JsonNode> results = new ArrayList<>();
      for (Process client : clients) {
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null) {
          throw new IllegalStateException("a storm client exited without a result");
        }
        results.add(json.readTree(line));
      }
      // Every device has its answer and still holds its connection: measure the connector now.
      long heapAfter = ProcessProbe.heapAfterGcBytes(pid);
      long rssAfter = ProcessProbe.rssBytes(pid);
      for (Process client : clients) {
        client.getOutputStream().close();
      }
      for (Process client : clients) {
        client.waitFor();
      }
      summarize(report, results, startAt);
      int connected = (int) report.get("authenticated");
      report.put("connectorHeapBefore", Report.mib(heapBefore)).put("connectorHeapAfter", Report.mib(heapAfter));
      report.put("connectorRssBefore", Report.mib(rssBefore)).put("connectorRssAfter", Report.mib(rssAfter));
      report.put("heapPerConnectionBytes", connected == 0 ? 0 : (heapAfter - heapBefore) / connected);
      report.put("rssPerConnectionBytes", connected == 0 ? 0 : (rssAfter - rssBefore) / connected);
    }
    report.print(System.out);
    report.write(out);
    return 0;
  }

  private void summarize(Report report, List<JsonNode> results, long startAt) {
    int authenticated = 0, refused = 0, rejected = 0, timedOut = 0, connectFailed = 0;
    long began = Long.MAX_VALUE, lastAuth = 0;
    List<Long> latencies = new ArrayList<>();
    for (JsonNode r : results) {
      authenticated += r.get("authenticated").asInt();
      refused += r.get("refused").asInt();
      rejected += r.get("rejected").asInt();
      timedOut += r.get("timedOut").asInt();
      connectFailed += r.get("connectFailed").asInt();
      began = Math.min(began, r.get("beganAtMs").asLong());
      lastAuth = Math.max(lastAuth, r.get("lastAuthAtMs").asLong());
      r.get("latenciesMs").forEach(l -> latencies.add(l.asLong()));
    }
    Collections.sort(latencies);
    report.put("devices", devices).put("kind", kind).put("clientProcesses", results.size());
    report.put("authenticated", authenticated).put("refused", refused).put("rejected", rejected);
    report.put("timedOut", timedOut).put("connectFailed", connectFailed);
    report.put("allAuthenticatedMs", authenticated == devices ? lastAuth - began : -1);
    report.put("lastAuthenticatedMs", lastAuth == 0 ? -1 : lastAuth - began);
    report.put("latencyP50Ms", percentile(latencies, 0.50));
    report.put("latencyP99Ms", percentile(latencies, 0.99));
    report.put("latencyMaxMs", latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1));
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
  }

  /** Registers the devices with the app secret (in parallel) and writes their credentials, one line each. */
  private Path registerDevices(ClusterApi api, Path state) throws Exception {
    String[] app = api.createApp("storm");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String[]>> futures = new ArrayList<>();
      for (int i = 0; i < devices; i++) {
        futures.add(pool.submit(() -> api.register(app[0], app[1])));
      }
      List<String> lines = new ArrayList<>(devices);
      for (Future<String[]> f : futures) {
        String[] device = f.get();
        lines.add(app[0] + " " + device[0] + " " + device[1]);
      }
      Path file = state.resolve("credentials.txt");
      Files.write(file, lines);
      return file;
    } finally {
      pool.shutdownNow();
    }
  }
}
