package io.universepush.connector;

import io.universepush.rpc.subscribe.AuthOutcome;
import io.universepush.rpc.subscribe.AuthResult;
import io.universepush.rpc.subscribe.ConnectorEndpoint;
import io.universepush.rpc.subscribe.LegacySubscription;
import io.universepush.rpc.subscribe.RegisterRequest;
import io.universepush.rpc.subscribe.Registration;
import io.universepush.rpc.subscribe.SubscribeService;
import io.universepush.store.app.AppStore;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.device.DeviceStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for push-subscribe (which the connector must not depend on), backed by the real Redis stores, so the
 * connector's Dubbo calls meet real credentials.
 */
final class RedisSubscribeService implements SubscribeService {
  static final String LEGACY_APP_ID = "legacy";

  private final AppStore apps;
  private final DeviceStore devices;

  RedisSubscribeService(AppStore apps, DeviceStore devices) {
    this.apps = apps;
    this.devices = devices;
  }

  @Override
  public Registration register(RegisterRequest request) {
    DeviceRegistration registration =
        devices.register(request.getAppId(), request.getPlatform(), request.getAlias(), request.getTags());
    return new Registration(request.getAppId(), registration.device().regId(), registration.token());
  }

  @Override
  public AuthResult authenticate(String appId, String regId, String token) {
    if (!LEGACY_APP_ID.equals(appId) && apps.find(appId).isEmpty()) {
      return new AuthResult(AuthOutcome.UNKNOWN_APP, null);
    }
    var device = devices.find(appId, regId);
    if (device.isEmpty()) {
      return new AuthResult(AuthOutcome.UNKNOWN_DEVICE, null);
    }
    if (!devices.verifyToken(appId, regId, token == null ? "" : token)) {
      return new AuthResult(AuthOutcome.BAD_TOKEN, null);
    }
    return new AuthResult(AuthOutcome.ACCEPTED, device.get().platform());
  }

  @Override
  public List<ConnectorEndpoint> route(String appId, String regId) {
    return new ArrayList<>();
  }

  @Override
  public LegacySubscription subscribeLegacy(String uid) {
    DeviceRegistration registration = devices.subscribeLegacy(LEGACY_APP_ID, uid);
    return new LegacySubscription(LEGACY_APP_ID, registration.device().regId(), registration.token());
  }

  @Override
  public String resolveLegacyToken(String token) {
    return devices.resolveLegacyToken(token).orElse(null);
  }
}
