package io.universepush.group.limits;

import io.universepush.group.system.ApiException;
import io.universepush.rpc.group.GroupResultCode;
import io.universepush.web.RateLimitRefusal;
import org.springframework.http.HttpStatus;

/** 429 {@code rate_limited}; the handler adds {@code Retry-After}. */
public class RateLimitedException extends ApiException implements RateLimitRefusal {
  private final long retryAfterSeconds;

  public RateLimitedException(Limit limit, long retryAfterSeconds) {
    super(
        HttpStatus.TOO_MANY_REQUESTS,
        "rate_limited",
        limit.refusal() + "; retry after " + retryAfterSeconds + " s",
        GroupResultCode.RATE_LIMITED);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  @Override
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
