package io.universepush.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Token buckets per (limit, key), in this instance's memory. The buckets live in a bounded cache, so a flood of
 * distinct app ids or IPs evicts the least recently used instead of exhausting memory; an idle bucket is full
 * again long before it expires, so expiry forgets nothing. Each service subclasses it with its enum of limits, their
 * rates and the exception it answers 429 with.
 *
 * @param <L> the service's limits
 */
public class KeyedRateLimiter<L extends Enum<L>> {
  private static final Duration IDLE_EXPIRY = Duration.ofMinutes(10);

  private record Key(Enum<?> limit, String key) {}

  private final Function<L, Bandwidth> bandwidths;
  private final BiFunction<L, Long, ? extends RuntimeException> refusal;
  private final Cache<Key, Bucket> buckets;
  private final Map<L, Counter> refused;

  /**
   * @param limits the enum of limits
   * @param bandwidths each limit's rate and burst
   * @param maxTrackedKeys the most (limit, key) buckets held
   * @param refusedMeter the counter of refusals, tagged by limit
   * @param refusal the exception for a refusal, from the limit and the seconds to wait
   */
  protected KeyedRateLimiter(
      Class<L> limits,
      Function<L, Bandwidth> bandwidths,
      int maxTrackedKeys,
      String refusedMeter,
      MeterRegistry registry,
      BiFunction<L, Long, ? extends RuntimeException> refusal) {
    this.bandwidths = bandwidths;
    this.refusal = refusal;
    this.buckets = Caffeine.newBuilder().maximumSize(maxTrackedKeys).expireAfterAccess(IDLE_EXPIRY).build();
    this.refused = new EnumMap<>(limits);
    for (L limit : limits.getEnumConstants()) {
      refused.put(
          limit,
          Counter.builder(refusedMeter)
              .description("Requests refused with 429, by limit")
              .tag("limit", limit.name())
              .register(registry));
    }
  }

  /** Takes a token; throws the refusal exception when there is none. */
  public void take(L limit, String key) {
    ConsumptionProbe probe = bucket(limit, key).tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      throw refuse(limit, probe.getNanosToWaitForRefill());
    }
  }

  /** Throws the refusal exception when the bucket is empty, without taking a token. */
  public void check(L limit, String key) {
    EstimationProbe probe = bucket(limit, key).estimateAbilityToConsume(1);
    if (!probe.canBeConsumed()) {
      throw refuse(limit, probe.getNanosToWaitForRefill());
    }
  }

  /** Takes a token if there is one: counts an event whose cost is checked next time ({@link #check}). */
  public void record(L limit, String key) {
    bucket(limit, key).tryConsume(1);
  }

  private Bucket bucket(L limit, String key) {
    return buckets.get(new Key(limit, key), k -> Bucket.builder().addLimit(bandwidths.apply(limit)).build());
  }

  private RuntimeException refuse(L limit, long nanosToWait) {
    refused.get(limit).increment();
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + TimeUnit.SECONDS.toNanos(1) - 1));
    return refusal.apply(limit, seconds);
  }
}
