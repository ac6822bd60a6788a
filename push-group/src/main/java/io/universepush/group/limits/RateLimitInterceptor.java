package io.universepush.group.limits;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.group.auth.AuthenticatedApp;
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
 * Takes a token for each call of a {@link RateLimited} handler from the caller's app's bucket (registered after the
 * authentication interceptor); legacy handlers, which have no app, share the app id {@code legacy} and are answered
 * in universe_push's {@code {"code":429,"message":..}}.
 */
@Component
public class RateLimitInterceptor implements HandlerInterceptor {
  static final int LEGACY_RATE_LIMITED = 429;
  public static final String LEGACY_APP_ID = "legacy";

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
    String key =
        request.getAttribute(AuthenticatedApp.ATTRIBUTE) instanceof AuthenticatedApp app
            ? app.appId()
            : LEGACY_APP_ID;
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
