package io.universepush.connector.system;

import io.universepush.store.device.DeviceStore;
import io.universepush.store.fanout.FanoutBus;
import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.MessageStore;
import io.universepush.store.node.ZooKeeperNodeDirectory;
import io.universepush.store.redis.RedisStores;
import io.universepush.store.route.RouteStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shared state the connector reads and writes: routes, messages, devices (tags, for fan-out) and the fan-out log
 * and bus in Redis, its own node in ZooKeeper.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

  @Bean(destroyMethod = "close")
  RedisStores redisStores(RedisProperties redis) {
    return RedisStores.connect(redis.address(), redis.keyPrefix());
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

  @Bean
  DeviceStore deviceStore(RedisStores stores) {
    return stores.devices();
  }

  @Bean
  FanoutLog fanoutLog(RedisStores stores) {
    return stores.fanoutLog();
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
