package io.universepush.group.limits;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.group.auth.AuthenticatedApp;
import io.universepush.web.RateLimitingInterceptor;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * Takes a token for each call of a {@link RateLimited} handler from the caller's app's bucket (registered after the
 * authentication interceptor); legacy handlers, which have no app, share the app id {@code legacy} and are answered
 * in universe_push's {@code {"code":429,"message":..}}.
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
    return request.getAttribute(AuthenticatedApp.ATTRIBUTE) instanceof AuthenticatedApp app
        ? app.appId()
        : LEGACY_APP_ID;
  }
}
