package io.universepush.api.auth;

import io.universepush.api.system.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;

/**
 * Who sent a request, as {@link ApiAuthInterceptor} established it: the app's server (its secret), one device (its
 * own token), or an unauthenticated device registering with the app id alone. Every caller acts inside one app.
 */
public sealed interface Caller permits AuthenticatedApp, AuthenticatedDevice, OpenRegistrant {
  String ATTRIBUTE = Caller.class.getName();

  String appId();

  /**
   * Throws 403 {@code forbidden} unless this caller may act on that device of its app: the app may act on any, a
   * device only on itself.
   */
  default void checkActsOn(String regId) {
    if (this instanceof AuthenticatedDevice device && !device.regId().equals(regId)) {
      throw new ApiException(
          HttpStatus.FORBIDDEN, "forbidden", "device credentials act only on their own device " + device.regId());
    }
  }

  /** The caller {@link ApiAuthInterceptor} established for this request, or null (not an API endpoint). */
  static Caller of(HttpServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof Caller caller ? caller : null;
  }
}
