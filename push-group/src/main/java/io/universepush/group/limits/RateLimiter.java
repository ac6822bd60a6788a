package io.universepush.group.limits;

import io.micrometer.core.instrument.MeterRegistry;
import io.universepush.web.KeyedRateLimiter;
import org.springframework.stereotype.Component;

/**
 * push-group's token buckets per ({@link Limit}, key), at the rates of {@link GroupLimits}; refuses with
 * {@link RateLimitedException}.
 */
@Component
public class RateLimiter extends KeyedRateLimiter<Limit> {
  public RateLimiter(GroupLimits limits, MeterRegistry registry) {
    super(
        Limit.class,
        limit -> limit.bandwidth(limits),
        limits.maxTrackedKeys(),
        "push.group.rate.limited",
        registry,
        RateLimitedException::new);
  }
}
