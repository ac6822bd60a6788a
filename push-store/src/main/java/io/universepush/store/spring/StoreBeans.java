package io.universepush.store.spring;

import io.universepush.store.app.AppStore;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.fanout.FanoutBus;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.MessageStore;
import io.universepush.store.node.ZooKeeperNodeDirectory;
import io.universepush.store.redis.RedisStores;
import io.universepush.store.route.RouteStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shared state every service wires the same way, for a service to {@code @Import}: the stores in Redis
 * ({@code universe.push.redis}) and the connector nodes in ZooKeeper ({@code universe.push.zookeeper}). The fan-out
 * log is left to each service, because its limits are the writer's business.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RedisProperties.class, ZooKeeperProperties.class})
public class StoreBeans {

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

  @Bean
  FanoutBus fanoutBus(RedisStores stores) {
    return stores.fanoutBus();
  }

  @Bean(destroyMethod = "close")
  ZooKeeperNodeDirectory nodeDirectory(ZooKeeperProperties zookeeper) {
    return ZooKeeperNodeDirectory.connect(zookeeper.address(), zookeeper.sessionTimeout());
  }
}
