package io.universepush.api.message;

import io.universepush.store.StoreUnavailableException;
import io.universepush.store.redis.RedisStores;
import io.universepush.store.spring.RedisProperties;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;

/**
 * Which app sent each message, when it expires and whether it was fanned out, kept as long as its counters
 * ({@code msgowner:{id}}, text {@code app|expiresAtMs|u or f}). The stored message cannot answer that: online-only
 * messages are never stored, and a stored one expires a day before its counters.
 */
@Component
public class MessageOwners {
  private static final long STATS_GRACE_MS = Duration.ofDays(1).toMillis();

  private final RedissonClient redisson;
  private final String prefix;

  /**
   * @param expiresAtMs 0 for an online-only message
   * @param fanout whether part of the audience was tags or the whole app (targets are then an estimate)
   */
  public record Owner(String appId, long expiresAtMs, boolean fanout) {}

  public MessageOwners(RedisStores stores, RedisProperties redis) {
    this.redisson = stores.redisson();
    this.prefix = redis.keyPrefix() + "msgowner:";
  }

  /** Kept until a day after the message expires (a day after now for an online-only one), like its counters. */
  public void record(String msgId, Owner owner) {
    long now = System.currentTimeMillis();
    long retainMs = Math.max(0, owner.expiresAtMs() > 0 ? owner.expiresAtMs() - now : 0) + STATS_GRACE_MS;
    String value = owner.appId() + "|" + owner.expiresAtMs() + "|" + (owner.fanout() ? "f" : "u");
    call(
        () -> {
          redisson.<String>getBucket(prefix + msgId, StringCodec.INSTANCE).set(value, Duration.ofMillis(retainMs));
          return null;
        });
  }

  public Optional<Owner> owner(String msgId) {
    String value = call(() -> redisson.<String>getBucket(prefix + msgId, StringCodec.INSTANCE).get());
    return Optional.ofNullable(value).map(MessageOwners::parse);
  }

  private static Owner parse(String value) {
    String[] parts = value.split("\\|", -1);
    if (parts.length != 3) {
      // Written before expiry and kind were recorded: the app id alone.
      return new Owner(value, 0, false);
    }
    return new Owner(parts[0], Long.parseLong(parts[1]), "f".equals(parts[2]));
  }

  private static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (RedisException e) {
      throw new StoreUnavailableException("Redis unavailable for message ownership: " + e.getMessage(), e);
    }
  }
}
