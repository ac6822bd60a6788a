package io.universepush.api.message;

import io.universepush.api.system.RedisProperties;
import io.universepush.store.StoreUnavailableException;
import io.universepush.store.redis.RedisStores;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;

/**
 * Which app sent each message, kept as long as its counters ({@code msgowner:{id}}). The stored message cannot
 * answer that: online-only messages are never stored, and a stored one expires a day before its counters.
 */
@Component
public class MessageOwners {
  private final RedissonClient redisson;
  private final String prefix;

  public MessageOwners(RedisStores stores, RedisProperties redis) {
    this.redisson = stores.redisson();
    this.prefix = redis.keyPrefix() + "msgowner:";
  }

  public void record(String msgId, String appId, long retainMs) {
    call(
        () -> {
          redisson.<String>getBucket(prefix + msgId, StringCodec.INSTANCE).set(appId, Duration.ofMillis(retainMs));
          return null;
        });
  }

  public Optional<String> owner(String msgId) {
    return call(() -> Optional.ofNullable(redisson.<String>getBucket(prefix + msgId, StringCodec.INSTANCE).get()));
  }

  private static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (RedisException e) {
      throw new StoreUnavailableException("Redis unavailable for message ownership: " + e.getMessage(), e);
    }
  }
}
