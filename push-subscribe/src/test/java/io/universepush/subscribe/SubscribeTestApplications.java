package io.universepush.subscribe;

import io.universepush.embedded.EmbeddedZooKeeper;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts push-subscribe as it runs in production, on random ports, against the given servers. */
final class SubscribeTestApplications {
  private SubscribeTestApplications() {}

  static ConfigurableApplicationContext start(EmbeddedZooKeeper zookeeper, String redisAddress) {
    // Arguments, not builder properties: those are defaults, which subscribe.yml would override.
    return SubscribeApplication.builder()
        .run(
            "--universe.push.zookeeper.address=" + zookeeper.connectString(),
            "--universe.push.redis.address=" + redisAddress,
            "--dubbo.protocol.port=-1",
            "--dubbo.service.shutdown.wait=1000",
            "--spring.main.banner-mode=off");
  }
}
