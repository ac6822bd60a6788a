package io.universepush.api.auth;

import io.universepush.api.limits.Limit;
import io.universepush.api.limits.RateLimiter;
import io.universepush.api.system.ApiException;
import io.universepush.api.system.UnauthorizedException;
import io.universepush.store.app.App;
import io.universepush.store.app.AppStore;
import io.universepush.store.device.DeviceStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Establishes the {@link Caller} of every app-facing request, from one of three kinds of credentials:
 *
 * <ul>
 *   <li>HTTP Basic {@code app_id:app_secret}: the app's server, on every endpoint;
 *   <li>{@code Authorization: Device reg_id:token} with {@code X-App-Id}: one device, only on {@link DeviceAccess}
 *       handlers (403 elsewhere, before the token is even checked);
 *   <li>none, with {@code X-App-Id}: open registration, only on the {@link OpenRegistration} handler, when the app
 *       allows it; rate limited per client IP and per app.
 * </ul>
 *
 * Secrets and tokens are checked against their stored SHA-256 hashes in constant time, on every request, so a rotated
 * secret or a deleted device stops working at once. An interceptor rather than a filter, so that a store outage
 * during the check is answered like any other (503 through the exception handler), and so that the handler's
 * annotations say which credentials it takes.
 *
 * <p>Failed authentications (wrong secret, unknown device, wrong token) are counted per client IP ({@code
 * universe.push.api.limits.failed-auths-per-minute}); past the limit that IP gets 429 before any secret or token is
 * checked, so neither can be guessed at speed. The IP is the connection's peer: behind a proxy, set {@code
 * server.forward-headers-strategy} so it is the client's.
 */
@Component
public class ApiAuthInterceptor implements HandlerInterceptor {
  /** Names the app on device requests: the app id is public (it ships in every app), the secret is not. */
  public static final String APP_ID_HEADER = "X-App-Id";

  private static final String BASIC = "basic ";
  private static final String DEVICE = "device ";
  private static final int MAX_ID_LENGTH = 64;

  private final AppStore apps;
  private final DeviceStore devices;
  private final RateLimiter limiter;

  public ApiAuthInterceptor(AppStore apps, DeviceStore devices, RateLimiter limiter) {
    this.apps = apps;
    this.devices = devices;
    this.limiter = limiter;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    String client = request.getRemoteAddr();
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null && has(handler, OpenRegistration.class)) {
      request.setAttribute(Caller.ATTRIBUTE, openRegistrant(request.getHeader(APP_ID_HEADER), client));
      return true;
    }
    limiter.check(Limit.FAILED_AUTH, client);
    Caller caller;
    if (scheme(header, BASIC)) {
      caller = app(header, client);
    } else if (scheme(header, DEVICE)) {
      if (!has(handler, DeviceAccess.class)) {
        throw new ApiException(
            HttpStatus.FORBIDDEN,
            "forbidden",
            "device credentials open only GET /v1/route and PUT /v1/devices/{reg_id} of that device;"
                + " this endpoint takes the app's HTTP Basic app_id:app_secret");
      }
      caller = device(header, request.getHeader(APP_ID_HEADER), client);
    } else if (header == null && has(handler, DeviceAccess.class)) {
      throw new UnauthorizedException(
          "HTTP Basic app_id:app_secret, or Authorization: Device reg_id:token with " + APP_ID_HEADER, true);
    } else if (header == null) {
      throw new UnauthorizedException("HTTP Basic credentials app_id:app_secret are required");
    } else {
      throw new UnauthorizedException("unsupported Authorization scheme; use Basic app_id:app_secret");
    }
    request.setAttribute(Caller.ATTRIBUTE, caller);
    return true;
  }

  private AuthenticatedApp app(String header, String client) {
    String[] credentials = pair(decodeBasic(header.substring(BASIC.length()).trim()), "Basic");
    if (!apps.verifySecret(credentials[0], credentials[1])) {
      limiter.record(Limit.FAILED_AUTH, client);
      throw new UnauthorizedException("unknown app or wrong secret");
    }
    return new AuthenticatedApp(credentials[0]);
  }

  private AuthenticatedDevice device(String header, String appId, String client) {
    if (appId == null || appId.isBlank()) {
      throw new UnauthorizedException("device credentials need the " + APP_ID_HEADER + " header", true);
    }
    String[] credentials = pair(header.substring(DEVICE.length()).trim(), "Device");
    String regId = credentials[0];
    if (regId.length() > MAX_ID_LENGTH || !devices.verifyToken(appId.trim(), regId, credentials[1])) {
      limiter.record(Limit.FAILED_AUTH, client);
      throw new UnauthorizedException("unknown device or wrong token", true);
    }
    return new AuthenticatedDevice(appId.trim(), regId);
  }

  /**
   * The per-IP bucket is taken first, so that guessing app ids costs as much as registering; the per-app one only
   * once the app is known to accept open registration.
   */
  private OpenRegistrant openRegistrant(String appId, String client) {
    if (appId == null || appId.isBlank()) {
      throw new UnauthorizedException(
          "register with the " + APP_ID_HEADER + " header (open registration) or HTTP Basic app_id:app_secret");
    }
    String id = appId.trim();
    limiter.take(Limit.OPEN_REGISTRATION_PER_IP, client);
    App app =
        (id.length() > MAX_ID_LENGTH ? java.util.Optional.<App>empty() : apps.find(id))
            .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "unknown_app", "no app " + id));
    if (!app.openRegistration()) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "registration_closed",
          "app " + id + " does not accept registration without its secret (open_registration is false);"
              + " its server registers devices with HTTP Basic app_id:app_secret");
    }
    limiter.take(Limit.OPEN_REGISTRATION, id);
    return new OpenRegistrant(id);
  }

  private static String decodeBasic(String encoded) {
    try {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new UnauthorizedException("malformed Basic credentials");
    }
  }

  /** {@code id:secret} split at the first colon: ids never hold one, secrets and tokens may. */
  private static String[] pair(String value, String scheme) {
    int colon = value.indexOf(':');
    if (colon <= 0) {
      throw new UnauthorizedException("malformed " + scheme + " credentials", scheme.equals("Device"));
    }
    return new String[] {value.substring(0, colon), value.substring(colon + 1)};
  }

  private static boolean scheme(String header, String scheme) {
    return header != null && header.regionMatches(true, 0, scheme, 0, scheme.length());
  }

  private static boolean has(Object handler, Class<? extends java.lang.annotation.Annotation> annotation) {
    return handler instanceof HandlerMethod method && method.hasMethodAnnotation(annotation);
  }
}
