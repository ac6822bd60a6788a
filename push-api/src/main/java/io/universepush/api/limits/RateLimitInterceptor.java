package io.universepush.api.limits;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.api.auth.AuthenticatedDevice;
import io.universepush.api.auth.Caller;
import io.universepush.api.auth.OpenRegistrant;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Takes a token for each call of a {@link RateLimited} handler, from the caller's app's bucket (registered after
 * the authentication interceptor): the app server's own, or the one all the app's devices share when the request came
 * with device credentials. Open registrations were already counted on their own limits when they were admitted. Over the limit: 429 with {@code Retry-After}, as the API's JSON error or, for
 * legacy endpoints, as universe_push's {@code {"code":429,"message":..}}.
 */
@Component
public class RateLimitInterceptor implements HandlerInterceptor {
  /** universe_push had no rate limit; its answer code for one follows the HTTP status. */
  static final int LEGACY_RATE_LIMITED = 429;
  private static final String LEGACY_APP_ID = "legacy";

  /** universe_push's answer shape. */
  record LegacyError(int code, String message) {}

  private final RateLimiter limiter;
  private final ObjectMapper json;

  public RateLimitInterceptor(RateLimiter limiter, ObjectMapper json) {
    this.limiter = limiter;
    this.json = json;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws IOException {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    RateLimited limited = method.getMethodAnnotation(RateLimited.class);
    if (limited == null) {
      return true;
    }
    Caller caller = Caller.of(request);
    String key;
    if (caller == null) {
      key = LEGACY_APP_ID;
    } else if (caller instanceof AuthenticatedDevice device) {
      // App ids are hex: this key never names an app.
      key = device.appId() + "/devices";
    } else if (caller instanceof OpenRegistrant) {
      return true;
    } else {
      key = caller.appId();
    }
    try {
      limiter.take(limited.value(), key);
      return true;
    } catch (RateLimitedException e) {
      if (!limited.legacy()) {
        throw e;
      }
      response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      response.setCharacterEncoding("UTF-8");
      json.writeValue(response.getOutputStream(), new LegacyError(LEGACY_RATE_LIMITED, e.getMessage()));
      return false;
    }
  }
}
