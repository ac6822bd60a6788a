package io.universepush.store.app;

/**
 * A tenant of the push service. The secret is never held here, only checked through {@link AppStore}.
 *
 * @param openRegistration whether devices may register with the app id alone (no secret); on unless switched off
 */
public record App(String appId, String name, long createdAtMs, boolean openRegistration) {

  /** An app with open registration, the default. */
  public App(String appId, String name, long createdAtMs) {
    this(appId, name, createdAtMs, true);
  }
}
