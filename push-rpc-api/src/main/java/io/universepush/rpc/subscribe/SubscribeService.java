package io.universepush.rpc.subscribe;

import java.util.ArrayList;
import java.util.List;

/** Device registration, authentication and routing. Served by push-subscribe over Dubbo. */
public interface SubscribeService {

  /**
   * Registers a device for an app that the caller has already authenticated. Returns the reg id and the device
   * token; the token is shown only here (it is stored hashed).
   *
   * @throws IllegalArgumentException when the app does not exist or a field is invalid
   */
  Registration register(RegisterRequest request);

  /** Checks a device's credentials, in constant time. */
  AuthResult authenticate(String appId, String regId, String token);

  /**
   * {@link #authenticate} for many devices in one call, one result per element in order, each checked on its own.
   * A connector gathers the CONNECTs of a reconnect storm into such calls (one round trip and one pipelined Redis
   * read for the lot instead of one of each per device). The default checks them one by one.
   */
  default List<AuthResult> authenticateAll(List<DeviceCredentials> credentials) {
    List<AuthResult> results = new ArrayList<>(credentials.size());
    for (DeviceCredentials c : credentials) {
      results.add(authenticate(c.getAppId(), c.getRegId(), c.getToken()));
    }
    return results;
  }

  /**
   * The live connectors a device should connect to, least loaded first (by live connections over weight). Empty
   * when no connector is up.
   */
  List<ConnectorEndpoint> route(String appId, String regId);

  /**
   * universe_push's SUB: binds a server-made token to a device id (uid). The same uid always gets the same token, so
   * {@code /push/sendByToken} keeps reaching the device across reconnects. An empty uid gets a fresh device.
   */
  LegacySubscription subscribeLegacy(String uid);

  /**
   * {@link #subscribeLegacy} for many uids in one call, one subscription per uid in order (a storm of legacy SUBs).
   * The default subscribes them one by one.
   */
  default List<LegacySubscription> subscribeLegacyAll(List<String> uids) {
    List<LegacySubscription> subscriptions = new ArrayList<>(uids.size());
    for (String uid : uids) {
      subscriptions.add(subscribeLegacy(uid));
    }
    return subscriptions;
  }

  /** The reg id that a legacy token is bound to, or null when the token is unknown. */
  String resolveLegacyToken(String token);
}
