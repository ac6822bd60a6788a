package io.universepush.standalone;

import io.universepush.embedded.EmbeddedRedis;
import io.universepush.embedded.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Embedded ZooKeeper and Redis only, so that separate service processes on one machine share them without installing
 * either (scripts/boot/push-infra, scripts/local-cluster.sh). Not a production ZooKeeper or Redis: one node each.
 */
@Command(
    name = "infra",
    mixinStandardHelpOptions = true,
    description = "Embedded ZooKeeper and Redis only, for services started as separate processes on this machine.")
final class Infra implements Callable<Integer> {
  @Mixin EmbeddedServerPorts servers;

  @Option(
      names = "--data-dir",
      description = "Where Redis keeps its append-only file, so data survives a restart (default: in memory only).")
  Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(servers.zookeeper);
    EmbeddedRedis redis;
    try {
      redis =
          dataDir == null
              ? EmbeddedRedis.start(servers.redis)
              : EmbeddedRedis.startPersistent(servers.redis, dataDir);
    } catch (RuntimeException e) {
      zooKeeper.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // Redis runs as a child process: without this hook a SIGTERM would leave it running after the JVM is gone.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  closeQuietly(redis);
                  closeQuietly(zooKeeper);
                  stopped.countDown();
                },
                "universe-push-infra-shutdown"));
    System.out.println(
        String.join(
            "\n",
            "Universe Push infra is up",
            "  ZooKeeper  " + zooKeeper.connectString() + "   --universe.push.zookeeper.address="
                + zooKeeper.connectString(),
            "  Redis      " + redis.address() + "   --universe.push.redis.address=" + redis.address() + " ("
                + (dataDir == null ? "in memory" : "data in " + dataDir.toAbsolutePath()) + ")",
            "Stop with SIGTERM (Ctrl-C)."));
    stopped.await();
    return 0;
  }

  private static void closeQuietly(AutoCloseable server) {
    try {
      server.close();
    } catch (Exception e) {
      System.err.println("error while stopping " + server + ": " + e);
    }
  }
}
