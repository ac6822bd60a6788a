package io.universepush.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The storm scenario end to end on a small scale: 50 legacy devices against a one-connector local cluster (separate
 * processes from push-standalone.jar), from two client processes. Checks the figures are there, not how fast.
 */
class StormSmokeTest {
  @TempDir Path work;

  @Test
  void fiftyDevicesAreAllAuthenticatedAndTheReportIsWritten() throws Exception {
    Path repo = LocalCluster.findRepo(Path.of(""));
    assumeTrue(
        Files.isRegularFile(repo.resolve("push-standalone/target/push-standalone.jar")),
        "push-standalone.jar not built");
    Path out = work.resolve("storm.json");
    int basePort = freePortBlock();

    int code =
        new CommandLine(new PushBench())
            .execute(
                "storm",
                "--devices=50",
                "--per-process=25",
                "--base-port=" + basePort,
                "--repo=" + repo,
                "--out=" + out);

    assertThat(code).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    assertThat(report.get("devices").asInt()).isEqualTo(50);
    assertThat(report.get("clientProcesses").asInt()).isEqualTo(2);
    assertThat(report.get("authenticated").asInt()).isEqualTo(50);
    assertThat(report.get("refused").asInt()).isZero();
    assertThat(report.has("rssPerConnectionBytes")).isTrue();
  }

  /**
   * A base port whose whole block (local-cluster.sh uses BASE..BASE+69) is free now, below the ephemeral range, so
   * the cluster meets neither another suite's ports nor an outgoing connection's.
   */
  private static int freePortBlock() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + 100 * ThreadLocalRandom.current().nextInt(100);
      if (allFree(base, 70)) {
        return base;
      }
    }
    throw new IllegalStateException("no block of 70 free ports");
  }

  private static boolean allFree(int base, int count) {
    for (int port = base; port < base + count; port++) {
      try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
      } catch (java.io.IOException e) {
        return false;
      }
    }
    return true;
  }
}
