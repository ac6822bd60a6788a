package io.universepush.store.app;

import java.util.List;
import java.util.Optional;

/** Apps and their secrets. Secrets are stored hashed and compared in constant time. */
public interface AppStore {
  AppCredentials create(String name);

  Optional<App> find(String appId);

  List<App> list();

  /** Renames the app; empty when it does not exist. */
  Optional<App> rename(String appId, String name);

  /**
   * Switches registration with the app id alone (no secret) on or off; the app's server can always register devices
   * with its secret. Empty when the app does not exist.
   */
  Optional<App> setOpenRegistration(String appId, boolean open);

  /** A new secret; the old one stops working at once. Empty when the app does not exist. */
  Optional<AppCredentials> rotateSecret(String appId);

  /** True when the app exists and the secret is its current one. */
  boolean verifySecret(String appId, String secret);

  /** True when the app existed. Its devices are removed by the caller through {@code DeviceStore}. */
  boolean delete(String appId);
}
