package io.universepush.group.auth;

import io.universepush.group.limits.Limit;
import io.universepush.group.limits.RateLimiter;
import io.universepush.group.system.UnauthorizedException;
import io.universepush.store.app.AppStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * HTTP Basic {@code app_id:app_secret} on every {@code /v1} request, checked against {@link AppStore} (its stored
 * hash, constant time) on each one, as push-api does: a rotated secret stops working at once. Failed
 * authentications are counted per client IP; past the limit that IP gets 429 before any secret is checked. Devices
 * never call this API: they send through their connector ({@code GroupService} over Dubbo).
 */
@Component
public class AppAuthInterceptor implements HandlerInterceptor {
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
    if (header == null || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
      throw new UnauthorizedException("HTTP Basic credentials app_id:app_secret are required");
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new UnauthorizedException("malformed Basic credentials");
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw new UnauthorizedException("malformed Basic credentials");
    }
    String appId = decoded.substring(0, colon);
    if (!apps.verifySecret(appId, decoded.substring(colon + 1))) {
      limiter.record(Limit.FAILED_AUTH, client);
      throw new UnauthorizedException("unknown app or wrong secret");
    }
    request.setAttribute(AuthenticatedApp.ATTRIBUTE, new AuthenticatedApp(appId));
    return true;
  }
}
