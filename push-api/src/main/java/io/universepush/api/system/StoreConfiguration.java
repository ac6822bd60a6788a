package io.universepush.api.system;

import io.universepush.store.app.AppStore;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.fanout.FanoutBus;
import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.MessageStore;
import io.universepush.store.node.ZooKeeperNodeDirectory;
import io.universepush.store.redis.RedisStores;
import io.universepush.store.route.RouteStore;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shared state: apps, devices, routes and messages in Redis, connector nodes in ZooKeeper. */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

  @Bean(destroyMethod = "close")
  RedisStores redisStores(RedisProperties redis) {
    return RedisStores.connect(redis.address(), redis.keyPrefix());
  }

  @Bean
  AppStore appStore(RedisStores stores) {
    return stores.apps();
  }

  @Bean
  DeviceStore deviceStore(RedisStores stores) {
    return stores.devices();
  }

  @Bean
  RouteStore routeStore(RedisStores stores) {
    return stores.routes();
  }

  @Bean
  MessageStore messageStore(RedisStores stores) {
    return stores.messages();
  }

  @Bean
  MessageStats messageStats(RedisStores stores) {
    return stores.stats();
  }

  /** Kept as long as the longest ttl a push may have: an older entry's message has expired anyway. */
  @Bean
  FanoutLog fanoutLog(RedisStores stores, ApiProperties properties) {
    ApiProperties.Push push = properties.push();
    return stores.fanoutLog(push.fanoutLogMaxLength(), Duration.ofSeconds(push.maxTtlSeconds()));
  }

  @Bean
  FanoutBus fanoutBus(RedisStores stores) {
    return stores.fanoutBus();
  }

  @Bean(destroyMethod = "close")
  ZooKeeperNodeDirectory nodeDirectory(ZooKeeperProperties zookeeper) {
    return ZooKeeperNodeDirectory.connect(zookeeper.address());
  }
}
