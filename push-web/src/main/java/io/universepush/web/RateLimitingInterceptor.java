package io.universepush.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.annotation.Annotation;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Takes a token for each call of a handler carrying the service's rate-limit annotation, from the bucket
 * {@link #key} names (registered after the authentication interceptor, so the caller is known). Over the limit: the
 * refusal propagates to the service's error handler (429 with {@code Retry-After}) or, for legacy handlers, is
 * answered here as universe_push's {@code {"code":429,"message":..}}.
 *
 * @param <L> the service's limits
 * @param <A> the service's annotation naming a handler's limit
 */
public abstract class RateLimitingInterceptor<L extends Enum<L>, A extends Annotation> implements HandlerInterceptor {
  /** universe_push had no rate limit; its answer code for one follows the HTTP status. */
  public static final int LEGACY_RATE_LIMITED = 429;
  /** The app id legacy handlers, which have no app, share. */
  public static final String LEGACY_APP_ID = "legacy";

  /** universe_push's answer shape. */
  public record LegacyError(int code, String message) {}

  private final Class<A> annotation;
  private final KeyedRateLimiter<L> limiter;
  private final ObjectMapper json;

  protected RateLimitingInterceptor(Class<A> annotation, KeyedRateLimiter<L> limiter, ObjectMapper json) {
    this.annotation = annotation;
    this.limiter = limiter;
    this.json = json;
  }

  /** The limit the handler's annotation names. */
  protected abstract L limit(A limited);

  /** Whether the handler answers in universe_push's shape. */
  protected abstract boolean legacy(A limited);

  /** The bucket key of a rate-limited request, or null to let it through without taking a token. */
  protected abstract String key(HttpServletRequest request);

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws IOException {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    A limited = method.getMethodAnnotation(annotation);
    if (limited == null) {
      return true;
    }
    String key = key(request);
    if (key == null) {
      return true;
    }
    try {
      limiter.take(limit(limited), key);
      return true;
    } catch (RuntimeException e) {
      if (!(e instanceof RateLimitRefusal refusal) || !legacy(limited)) {
        throw e;
      }
      response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      response.setCharacterEncoding("UTF-8");
      json.writeValue(response.getOutputStream(), new LegacyError(LEGACY_RATE_LIMITED, e.getMessage()));
      return false;
    }
  }
}
