package io.universepush.api.auth;

import jakarta.servlet.http.HttpServletRequest;

/** The app a request was authenticated as; every app-facing endpoint takes one and only sees that app's data. */
public record AuthenticatedApp(String appId) {

  /** The app {@link AppAuthInterceptor} authenticated this request as, or null (not an app-facing endpoint). */
  public static AuthenticatedApp of(HttpServletRequest request) {
    return request.getAttribute(AppAuthInterceptor.ATTRIBUTE) instanceof AuthenticatedApp app ? app : null;
  }
}
