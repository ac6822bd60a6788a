package io.universepush.api.limits;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.api.auth.AuthenticatedDevice;
import io.universepush.api.auth.Caller;
import io.universepush.api.auth.OpenRegistrant;
import io.universepush.web.RateLimitingInterceptor;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * Takes a token for each call of a {@link RateLimited} handler, from the caller's app's bucket (registered after
 * the authentication interceptor): the app server's own, or the one all the app's devices share when the request came
 * with device credentials. Open registrations were already counted on their own limits when they were admitted. Over
 * the limit: 429 with {@code Retry-After}, as the API's JSON error or, for legacy endpoints, as universe_push's
 * {@code {"code":429,"message":..}}.
 */
@Component
public class RateLimitInterceptor extends RateLimitingInterceptor<Limit, RateLimited> {
  public RateLimitInterceptor(RateLimiter limiter, ObjectMapper json) {
    super(RateLimited.class, limiter, json);
  }

  @Override
  protected Limit limit(RateLimited limited) {
    return limited.value();
  }

  @Override
  protected boolean legacy(RateLimited limited) {
    return limited.legacy();
  }

  @Override
  protected String key(HttpServletRequest request) {
    Caller caller = Caller.of(request);
    if (caller == null) {
      return LEGACY_APP_ID;
    } else if (caller instanceof AuthenticatedDevice device) {
      // App ids are hex: this key never names an app.
      return device.appId() + "/devices";
    } else if (caller instanceof OpenRegistrant) {
      return null;
    } else {
      return caller.appId();
    }
  }
}
