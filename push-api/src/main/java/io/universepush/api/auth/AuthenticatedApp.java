package io.universepush.api.auth;

/**
 * The app's server, authenticated by the app secret (HTTP Basic {@code app_id:app_secret}). A handler that takes one
 * is open to the app secret only: device credentials never reach it.
 */
public record AuthenticatedApp(String appId) implements Caller {}
