package io.universepush.subscribe.system;

import io.universepush.store.app.AppStore;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.node.ZooKeeperNodeDirectory;
import io.universepush.store.redis.RedisStores;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shared state push-subscribe reads and writes: apps and devices in Redis, connector nodes in ZooKeeper. */
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

  @Bean(destroyMethod = "close")
  ZooKeeperNodeDirectory nodeDirectory(ZooKeeperProperties zookeeper) {
    return ZooKeeperNodeDirectory.connect(zookeeper.address());
  }
}
