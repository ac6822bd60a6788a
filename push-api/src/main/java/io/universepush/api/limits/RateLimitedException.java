package io.universepush.api.limits;

import io.universepush.api.system.ApiException;
import io.universepush.web.RateLimitRefusal;
import org.springframework.http.HttpStatus;

/** 429 {@code rate_limited}; the handler adds {@code Retry-After}. */
public class RateLimitedException extends ApiException implements RateLimitRefusal {
  private final long retryAfterSeconds;

  public RateLimitedException(Limit limit, long retryAfterSeconds) {
    super(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", message(limit, retryAfterSeconds));
    this.retryAfterSeconds = retryAfterSeconds;
  }

  @Override
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  private static String message(Limit limit, long seconds) {
    String what =
        switch (limit) {
          case PUSH -> "too many pushes";
          case REGISTRATION -> "too many device registrations";
          case READ -> "too many reads";
          case FAILED_AUTH -> "too many failed authentications from this address";
          case OPEN_REGISTRATION -> "too many registrations without the app secret for this app";
          case OPEN_REGISTRATION_PER_IP -> "too many registrations without the app secret from this address";
        };
    return what + "; retry after " + seconds + " s";
  }
}
