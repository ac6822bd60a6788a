package io.universepush.subscribe.device;

import io.universepush.rpc.subscribe.RegisterRequest;
import io.universepush.rpc.subscribe.Registration;
import io.universepush.store.app.AppStore;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.device.DeviceStore;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Registers devices of existing apps, after checking every field. */
@Component
public class DeviceRegistrations {
  private static final Logger log = LoggerFactory.getLogger(DeviceRegistrations.class);

  private final AppStore apps;
  private final DeviceStore devices;

  public DeviceRegistrations(AppStore apps, DeviceStore devices) {
    this.apps = apps;
    this.devices = devices;
  }

  public Registration register(RegisterRequest request) {
    if (request == null) {
      throw new IllegalArgumentException("a registration request is required");
    }
    String appId = request.getAppId();
    if (appId == null || appId.isEmpty()) {
      throw new IllegalArgumentException("app_id is required");
    }
    String platform = DeviceFields.platform(request.getPlatform());
    String alias = DeviceFields.alias(request.getAlias());
    Set<String> tags = DeviceFields.tags(request.getTags());
    if (apps.find(appId).isEmpty()) {
      throw new IllegalArgumentException("unknown app: " + appId);
    }
    DeviceRegistration registration = devices.register(appId, platform, alias, tags);
    log.debug("registered device {} of app {} ({})", registration.device().regId(), appId, platform);
    return new Registration(appId, registration.device().regId(), registration.token());
  }
}
