package io.universepush.subscribe.auth;

import io.universepush.rpc.subscribe.AuthOutcome;
import io.universepush.rpc.subscribe.AuthResult;
import io.universepush.store.app.AppStore;
import io.universepush.store.device.Device;
import io.universepush.store.device.DeviceStore;
import io.universepush.subscribe.legacy.LegacySubscriptions;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Checks a device's (app, reg id, token). The token comparison is constant-time (a SHA-256 of the presented token
 * against the stored hash, through {@code MessageDigest.isEqual}), so response time tells nothing about the token.
 */
@Component
public class DeviceAuthenticator {
  private final AppStore apps;
  private final DeviceStore devices;

  public DeviceAuthenticator(AppStore apps, DeviceStore devices) {
    this.apps = apps;
    this.devices = devices;
  }

  public AuthResult authenticate(String appId, String regId, String token) {
    if (isBlank(appId) || !appExists(appId)) {
      return new AuthResult(AuthOutcome.UNKNOWN_APP, null);
    }
    if (isBlank(regId)) {
      return new AuthResult(AuthOutcome.UNKNOWN_DEVICE, null);
    }
    Optional<Device> device = devices.find(appId, regId);
    if (device.isEmpty()) {
      return new AuthResult(AuthOutcome.UNKNOWN_DEVICE, null);
    }
    if (!devices.verifyToken(appId, regId, token == null ? "" : token)) {
      return new AuthResult(AuthOutcome.BAD_TOKEN, null);
    }
    return new AuthResult(AuthOutcome.ACCEPTED, device.get().platform());
  }

  private boolean appExists(String appId) {
    // The legacy app is reserved, never created through the AppStore: its devices come from SUB frames.
    return LegacySubscriptions.LEGACY_APP_ID.equals(appId) || apps.find(appId).isPresent();
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
