package io.universepush.web;

/** The exception a service's {@link KeyedRateLimiter} refuses with: how long the caller should wait. */
public interface RateLimitRefusal {
  long retryAfterSeconds();

  String getMessage();
}
