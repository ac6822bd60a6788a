package io.universepush.api.limits;

import io.micrometer.core.instrument.MeterRegistry;
import io.universepush.web.KeyedRateLimiter;
import org.springframework.stereotype.Component;

/**
 * push-api's token buckets per ({@link Limit}, key), at the rates of {@link ApiLimits}; refuses with
 * {@link RateLimitedException}.
 */
@Component
public class RateLimiter extends KeyedRateLimiter<Limit> {
  public RateLimiter(ApiLimits limits, MeterRegistry registry) {
    super(
        Limit.class,
        limit -> limit.bandwidth(limits),
        limits.maxTrackedKeys(),
        "push.api.rate.limited",
        registry,
        RateLimitedException::new);
  }
}
