package io.universepush.api.auth;

import io.universepush.api.limits.Limit;
import io.universepush.api.limits.RateLimiter;
import io.universepush.api.system.UnauthorizedException;
import io.universepush.store.app.AppStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * HTTP Basic with {@code app_id:app_secret}. The secret is checked against its stored SHA-256 hash in constant time,
 * on every request, so a rotated secret stops working at once. An interceptor rather than a filter, so that a store
 * outage during the check is answered like any other (503 through the exception handler).
 *
 * <p>Failed authentications are counted per client IP ({@code universe.push.api.limits.failed-auths-per-minute});
 * past the limit that IP gets 429 before any secret is checked, so secrets cannot be guessed at speed. The IP is the
 * connection's peer: behind a proxy, set {@code server.forward-headers-strategy} so it is the client's.
 */
@Component
public class AppAuthInterceptor implements HandlerInterceptor {
  static final String ATTRIBUTE = AuthenticatedApp.class.getName();
  private static final String BASIC = "basic ";

  private final AppStore apps;
  private final RateLimiter limiter;

  public AppAuthInterceptor(AppStore apps, RateLimiter limiter) {
    this.apps = apps;
    this.limiter = limiter;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    String client = request.getRemoteAddr();
    limiter.check(Limit.FAILED_AUTH, client);
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.length() < BASIC.length() || !header.regionMatches(true, 0, BASIC, 0, 6)) {
      throw new UnauthorizedException("HTTP Basic credentials app_id:app_secret are required");
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new UnauthorizedException("malformed Basic credentials");
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw new UnauthorizedException("malformed Basic credentials");
    }
    String appId = decoded.substring(0, colon);
    String secret = decoded.substring(colon + 1);
    if (!apps.verifySecret(appId, secret)) {
      limiter.record(Limit.FAILED_AUTH, client);
      throw new UnauthorizedException("unknown app or wrong secret");
    }
    request.setAttribute(ATTRIBUTE, new AuthenticatedApp(appId));
    return true;
  }
}
