package io.universepush.bench;

import io.universepush.sdk.PushClient;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Devices (SDK clients, one thread each as on a phone) spread over several connector processes, steady unicast pushes
 * with a ttl, one connector killed with SIGKILL. Reports how long until every device is connected again, and the
 * pushes sent, delivered, duplicated at the SDK listener and lost.
 */
@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description = "Devices over several connectors, steady pushes, one connector killed with SIGKILL.")
final class FailoverCommand implements Callable<Integer> {
  @Option(names = "--devices", defaultValue = "3000", description = "SDK clients (default ${DEFAULT-VALUE}).")
  int devices;

  @Option(names = "--connectors", defaultValue = "3")
  int connectors;

  @Option(names = "--rate", defaultValue = "100", description = "Pushes per second (default ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--before-s", defaultValue = "10", description = "Seconds of pushes before the kill.")
  int beforeSeconds;

  @Option(names = "--after-s", defaultValue = "20", description = "Seconds of pushes after the kill.")
  int afterSeconds;

  @Option(names = "--drain-s", defaultValue = "60", description = "Longest wait for the last pushes to arrive.")
  int drainSeconds;

  @Option(names = "--base-port", description = "Ports of the cluster started here (default: random in 20000..40000).")
  Integer basePort;

  @Option(names = "--repo", description = "Repository root (scripts/local-cluster.sh); default: found upwards.")
  Path repo;

  @Option(names = "--out", description = "Write the results as JSON to this file.")
  Path out;

  private final Set<Integer> connected = ConcurrentHashMap.newKeySet();
  private final Map<Integer, String> nodeOf = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final Set<String> sent = ConcurrentHashMap.newKeySet();

  @Override
  public Integer call() throws Exception {
    Path root = repo != null ? repo : LocalCluster.findRepo(Path.of(""));
    int base = basePort != null ? basePort : 20000 + 100 * ThreadLocalRandom.current().nextInt(200);
    Path state = Files.createTempDirectory("push-bench-failover-");
    Report report = new Report("failover");
    List<PushClient> clients = new ArrayList<>();
    try (LocalCluster cluster = LocalCluster.start(root, state, base, connectors, List.of())) {
      ClusterApi api = new ClusterApi(cluster.apiUrl(), cluster.adminUrl());
      String[] app = api.createApp("failover");
      List<String[]> registered = register(api, app);
      for (int i = 0; i < devices; i++) {
        int index = i;
        String[] device = registered.get(i);
        PushClient client =
            PushClient.builder()
                .apiUrl(cluster.apiUrl())
                .credentials(app[0], device[0], device[1])
                .reconnectBackoff(200, 5000)
                .listener(
                    new PushListener() {
                      @Override
                      public void onConnected(String nodeId) {
                        nodeOf.put(index, nodeId);
                        connected.add(index);
                      }

                      @Override
                      public void onDisconnected(String reason) {
                        connected.remove(index);
                      }

                      @Override
                      public void onMessage(PushMessage message) {
                        received.computeIfAbsent(message.msgId(), id -> new AtomicInteger()).incrementAndGet();
                      }
                    })
                .build();
        clients.add(client);
        client.connect();
      }
      long connectStart = System.currentTimeMillis();
      awaitAllConnected(180_000);
      report.put("devices", devices).put("connectors", connectors);
      report.put("initialConnectMs", System.currentTimeMillis() - connectStart);

      AtomicLong pushFailures = new AtomicLong();
      Thread pusher = startPusher(api, app, registered, pushFailures);
      Thread.sleep(beforeSeconds * 1000L);
      // The connector holding most devices goes.
      Map<String, Integer> perNode = new ConcurrentHashMap<>();
      nodeOf.values().forEach(node -> perNode.merge(node, 1, Integer::sum));
      String victim =
          perNode.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
      int victimIndex = Integer.parseInt(victim.substring(victim.lastIndexOf('-') + 1));
      long pid = cluster.connectorPid(victimIndex);
      long killedAt = System.currentTimeMillis();
      new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start().waitFor();
      report.put("killed", victim + " (pid " + pid + ", " + perNode.get(victim) + " devices)");
      // Clients notice at once (the kernel closes the dead process's sockets): wait for the drop, then the return.
      long dropDeadline = System.currentTimeMillis() + 5000;
      while (connected.size() == devices && System.currentTimeMillis() < dropDeadline) {
        Thread.sleep(5);
      }
      long reconnectMs = awaitAllConnected(300_000) ? System.currentTimeMillis() - killedAt : -1;
      report.put("allReconnectedMs", reconnectMs);
      long remaining = killedAt + afterSeconds * 1000L - System.currentTimeMillis();
      if (remaining > 0) {
        Thread.sleep(remaining);
      }
      pusher.interrupt();
      pusher.join();
      long drainDeadline = System.currentTimeMillis() + drainSeconds * 1000L;
      while (delivered() < sent.size() && System.currentTimeMillis() < drainDeadline) {
        Thread.sleep(200);
      }
      long delivered = delivered();
      long duplicated = received.values().stream().mapToLong(c -> c.get() - 1).sum();
      report.put("pushRate", rate + "/s for " + (beforeSeconds + afterSeconds) + " s");
      report.put("sent", sent.size()).put("pushesRefusedByApi", pushFailures.get());
      report.put("delivered", delivered).put("duplicatedAtListener", duplicated);
      report.put("lost", sent.size() - delivered);
    } finally {
      ExecutorService closer = Executors.newFixedThreadPool(16);
      clients.forEach(client -> closer.submit(client::close));
      closer.shutdown();
      closer.awaitTermination(60, TimeUnit.SECONDS);
    }
    report.print(System.out);
    report.write(out);
    return 0;
  }

  private long delivered() {
    return sent.stream().filter(received::containsKey).count();
  }

  private boolean awaitAllConnected(long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (connected.size() < devices) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  private Thread startPusher(ClusterApi api, String[] app, List<String[]> registered, AtomicLong failures) {
    Thread pusher =
        new Thread(
            () -> {
              long intervalNs = 1_000_000_000L / rate;
              long next = System.nanoTime();
              int n = 0;
              while (!Thread.currentThread().isInterrupted()) {
                String[] device = registered.get(ThreadLocalRandom.current().nextInt(registered.size()));
                try {
                  sent.add(api.push(app[0], app[1], device[0], "failover-" + n++));
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  failures.incrementAndGet();
                }
                next += intervalNs;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                  try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            },
            "pusher");
    pusher.start();
    return pusher;
  }

  private List<String[]> register(ClusterApi api, String[] app) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String[]>> futures = new ArrayList<>();
      for (int i = 0; i < devices; i++) {
        futures.add(pool.submit(() -> api.register(app[0], app[1])));
      }
      List<String[]> registered = new ArrayList<>();
      for (Future<String[]> f : futures) {
        registered.add(f.get());
      }
      return registered;
    } finally {
      pool.shutdownNow();
    }
  }
}
