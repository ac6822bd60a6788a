package io.universepush.subscribe.auth;

import io.universepush.rpc.subscribe.AuthOutcome;
import io.universepush.rpc.subscribe.AuthResult;
import io.universepush.store.app.AppStore;
import io.universepush.store.device.Device;
import io.universepush.store.device.DeviceStore;
import io.universepush.subscribe.legacy.LegacySubscriptions;
import io.universepush.rpc.subscribe.DeviceCredentials;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    return new AuthResult(AuthOutcome.ACCEPTED, device.get().platform(), device.get().createdAtMs());
  }

  /**
   * {@link #authenticate} for many devices, one result per element in order: one app lookup per distinct app and one
   * pipelined read of the devices' hashes per app, whatever the number of devices.
   */
  public List<AuthResult> authenticateAll(List<DeviceCredentials> credentials) {
    AuthResult[] results = new AuthResult[credentials.size()];
    Map<String, Boolean> appKnown = new HashMap<>();
    Map<String, List<Integer>> indexesByApp = new LinkedHashMap<>();
    for (int i = 0; i < credentials.size(); i++) {
      DeviceCredentials c = credentials.get(i);
      String appId = c == null ? null : c.getAppId();
      if (isBlank(appId) || !appKnown.computeIfAbsent(appId, this::appExists)) {
        results[i] = new AuthResult(AuthOutcome.UNKNOWN_APP, null);
      } else if (isBlank(c.getRegId())) {
        results[i] = new AuthResult(AuthOutcome.UNKNOWN_DEVICE, null);
      } else {
        indexesByApp.computeIfAbsent(appId, a -> new ArrayList<>()).add(i);
      }
    }
    indexesByApp.forEach(
        (appId, indexes) -> {
          List<DeviceStore.Credentials> asked = new ArrayList<>(indexes.size());
          for (int i : indexes) {
            asked.add(new DeviceStore.Credentials(credentials.get(i).getRegId(), credentials.get(i).getToken()));
          }
          List<DeviceStore.TokenCheck> checks = devices.checkTokens(appId, asked);
          for (int k = 0; k < indexes.size(); k++) {
            DeviceStore.TokenCheck check = checks.get(k);
            AuthResult result;
            if (check.device().isEmpty()) {
              result = new AuthResult(AuthOutcome.UNKNOWN_DEVICE, null);
            } else if (!check.tokenMatches()) {
              result = new AuthResult(AuthOutcome.BAD_TOKEN, null);
            } else {
              Device device = check.device().get();
              result = new AuthResult(AuthOutcome.ACCEPTED, device.platform(), device.createdAtMs());
            }
            results[indexes.get(k)] = result;
          }
        });
    return new ArrayList<>(Arrays.asList(results));
  }

  private boolean appExists(String appId) {
    // The legacy app is reserved, never created through the AppStore: its devices come from SUB frames.
    return LegacySubscriptions.LEGACY_APP_ID.equals(appId) || apps.find(appId).isPresent();
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
