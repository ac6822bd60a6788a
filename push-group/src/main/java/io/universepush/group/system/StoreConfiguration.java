package io.universepush.group.system;

import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.redis.RedisStores;
import io.universepush.store.spring.StoreBeans;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * The shared state ({@link StoreBeans}), plus the fan-out log with the group history limits: the groups' channels of
 * the apps' logs, keeping the last {@code history-max-length} messages for {@code history-retention-seconds}.
 */
@Configuration(proxyBeanMethods = false)
@Import(StoreBeans.class)
public class StoreConfiguration {
  public static final String HISTORY = "groupHistoryLog";

  /** Appends and the log's top: what members follow. Reads skip entries whose delivery ttl is over. */
  @Bean
  @Primary
  FanoutLog groupLog(RedisStores stores, GroupProperties properties) {
    return stores.fanoutLog(
        properties.historyMaxLength(), Duration.ofSeconds(properties.historyRetentionSeconds()));
  }

  /**
   * The same logs read for history: a message stays in history for the retention time even when its delivery ttl
   * (how long it waits for an offline member) is shorter, so these reads judge no entry expired; the message itself
   * is stored for at least the retention time, and one gone from the store is left out.
   */
  @Bean
  @Qualifier(HISTORY)
  FanoutLog groupHistoryLog(RedisStores stores, GroupProperties properties) {
    return stores.fanoutLog(
        properties.historyMaxLength(),
        Duration.ofSeconds(properties.historyRetentionSeconds()),
        Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
  }
}
