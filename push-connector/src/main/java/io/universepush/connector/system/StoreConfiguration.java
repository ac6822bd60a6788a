package io.universepush.connector.system;

import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.redis.RedisStores;
import io.universepush.store.spring.StoreBeans;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The shared state ({@link StoreBeans}), plus the fan-out log the connector reads: the limits only matter to the
 * writer (push-api), so the defaults do here.
 */
@Configuration(proxyBeanMethods = false)
@Import(StoreBeans.class)
public class StoreConfiguration {

  @Bean
  FanoutLog fanoutLog(RedisStores stores) {
    return stores.fanoutLog();
  }
}
