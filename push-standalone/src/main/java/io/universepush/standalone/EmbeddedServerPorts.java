package io.universepush.standalone;

import picocli.CommandLine.Option;

/** The ports of embedded ZooKeeper and Redis, shared by the commands that start them (standalone, infra). */
final class EmbeddedServerPorts {
  @Option(
      names = "--zookeeper-port",
      paramLabel = "PORT",
      defaultValue = "2181",
      description = "Embedded ZooKeeper port.")
  int zookeeper;

  @Option(names = "--redis-port", paramLabel = "PORT", defaultValue = "6379", description = "Embedded Redis port.")
  int redis;
}
