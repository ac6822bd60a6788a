package io.universepush.subscribe.legacy;

import io.universepush.rpc.subscribe.LegacySubscription;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.device.DeviceStore;
import io.universepush.subscribe.device.DeviceFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * universe_push's SUB: a device id (uid) gets a server-made token, the same one every time, in the reserved app
 * {@value #LEGACY_APP_ID}. Old app servers push to that token through {@code /push/sendByToken}.
 */
@Component
public class LegacySubscriptions {
  public static final String LEGACY_APP_ID = "legacy";

  /** Longer than any token this system hands out; longer ones are not looked up at all. */
  private static final int MAX_TOKEN_LENGTH = 256;

  private final DeviceStore devices;

  public LegacySubscriptions(DeviceStore devices) {
    this.devices = devices;
  }

  public LegacySubscription subscribe(String uid) {
    DeviceRegistration registration = devices.subscribeLegacy(LEGACY_APP_ID, DeviceFields.legacyUid(uid));
    return new LegacySubscription(LEGACY_APP_ID, registration.device().regId(), registration.token());
  }

  /**
   * {@link #subscribe} for many uids in one pipelined round trip, in order; an invalid uid gets null and does not
   * fail the others.
   */
  public List<LegacySubscription> subscribeAll(List<String> uids) {
    LegacySubscription[] subscriptions = new LegacySubscription[uids.size()];
    List<Integer> valid = new ArrayList<>(uids.size());
    List<String> cleanUids = new ArrayList<>(uids.size());
    for (int i = 0; i < uids.size(); i++) {
      try {
        cleanUids.add(DeviceFields.legacyUid(uids.get(i)));
        valid.add(i);
      } catch (IllegalArgumentException e) {
        // Left null: that connection's SUB is answered "unavailable", as a single SUB with this uid would be.
      }
    }
    List<DeviceRegistration> registrations = devices.subscribeLegacyAll(LEGACY_APP_ID, cleanUids);
    for (int k = 0; k < valid.size(); k++) {
      DeviceRegistration registration = registrations.get(k);
      subscriptions[valid.get(k)] =
          new LegacySubscription(LEGACY_APP_ID, registration.device().regId(), registration.token());
    }
    return new ArrayList<>(Arrays.asList(subscriptions));
  }

  /** The reg id bound to the token, or null. */
  public String resolve(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      return null;
    }
    return devices.resolveLegacyToken(token).orElse(null);
  }
}
