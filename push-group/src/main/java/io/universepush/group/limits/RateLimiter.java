package io.universepush.group.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Token buckets per (limit, key), in this instance's memory. The buckets live in a bounded cache, so a flood of
 * distinct app ids or IPs evicts the least recently used instead of exhausting memory; an idle bucket is full
 * again long before it expires, so expiry forgets nothing.
 */
@Component
public class RateLimiter {
  private static final Duration IDLE_EXPIRY = Duration.ofMinutes(10);

  private record Key(Limit limit, String key) {}

  private final GroupLimits limits;
  private final Cache<Key, Bucket> buckets;
  private final Map<Limit, Counter> refused = new EnumMap<>(Limit.class);

  public RateLimiter(GroupLimits limits, MeterRegistry registry) {
    this.limits = limits;
    this.buckets = Caffeine.newBuilder().maximumSize(limits.maxTrackedKeys()).expireAfterAccess(IDLE_EXPIRY).build();
    for (Limit limit : Limit.values()) {
      refused.put(
          limit,
          Counter.builder("push.group.rate.limited")
              .description("Requests refused with 429, by limit")
              .tag("limit", limit.name())
              .register(registry));
    }
  }

  /** Takes a token; throws {@link RateLimitedException} when there is none. */
  public void take(Limit limit, String key) {
    ConsumptionProbe probe = bucket(limit, key).tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      throw refuse(limit, probe.getNanosToWaitForRefill());
    }
  }

  /** Throws {@link RateLimitedException} when the bucket is empty, without taking a token. */
  public void check(Limit limit, String key) {
    EstimationProbe probe = bucket(limit, key).estimateAbilityToConsume(1);
    if (!probe.canBeConsumed()) {
      throw refuse(limit, probe.getNanosToWaitForRefill());
    }
  }

  /** Takes a token if there is one: counts an event whose cost is checked next time ({@link #check}). */
  public void record(Limit limit, String key) {
    bucket(limit, key).tryConsume(1);
  }

  private Bucket bucket(Limit limit, String key) {
    return buckets.get(
        new Key(limit, key), k -> Bucket.builder().addLimit(limit.bandwidth(limits)).build());
  }

  private RateLimitedException refuse(Limit limit, long nanosToWait) {
    refused.get(limit).increment();
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + TimeUnit.SECONDS.toNanos(1) - 1));
    return new RateLimitedException(limit, seconds);
  }
}
