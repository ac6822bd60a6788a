package io.universepush.group.auth;

/** The app's server, authenticated by its secret (HTTP Basic {@code app_id:app_secret}). */
public record AuthenticatedApp(String appId) {
  public static final String ATTRIBUTE = AuthenticatedApp.class.getName();
}
