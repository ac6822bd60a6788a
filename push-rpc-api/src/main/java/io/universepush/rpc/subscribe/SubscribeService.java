package io.universepush.rpc.subscribe;

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
   * The live connectors a device should connect to, least loaded first (by live connections over weight). Empty
   * when no connector is up.
   */
  List<ConnectorEndpoint> route(String appId, String regId);

  /**
   * universe_push's SUB: binds a server-made token to a device id (uid). The same uid always gets the same token, so
   * {@code /push/sendByToken} keeps reaching the device across reconnects. An empty uid gets a fresh device.
   */
  LegacySubscription subscribeLegacy(String uid);

  /** The reg id that a legacy token is bound to, or null when the token is unknown. */
  String resolveLegacyToken(String token);
}
