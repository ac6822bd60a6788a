package io.universepush.api.system;

import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.redis.RedisStores;
import io.universepush.store.spring.StoreBeans;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The shared state ({@link StoreBeans}), plus the fan-out log with the limits of the pushes this service accepts. */
@Configuration(proxyBeanMethods = false)
@Import(StoreBeans.class)
public class StoreConfiguration {

  /** Kept as long as the longest ttl a push may have: an older entry's message has expired anyway. */
  @Bean
  FanoutLog fanoutLog(RedisStores stores, ApiProperties properties) {
    ApiProperties.Push push = properties.push();
    return stores.fanoutLog(push.fanoutLogMaxLength(), Duration.ofSeconds(push.maxTtlSeconds()));
  }
}
