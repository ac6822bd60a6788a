package io.universepush.subscribe.rpc;

import io.universepush.rpc.subscribe.AuthResult;
import io.universepush.rpc.subscribe.ConnectorEndpoint;
import io.universepush.rpc.subscribe.DeviceCredentials;
import io.universepush.rpc.subscribe.LegacySubscription;
import io.universepush.rpc.subscribe.RegisterRequest;
import io.universepush.rpc.subscribe.Registration;
import io.universepush.rpc.subscribe.SubscribeService;
import io.universepush.store.StoreUnavailableException;
import io.universepush.subscribe.auth.DeviceAuthenticator;
import io.universepush.subscribe.device.DeviceRegistrations;
import io.universepush.subscribe.legacy.LegacySubscriptions;
import io.universepush.subscribe.route.ConnectorRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.dubbo.config.annotation.DubboService;
import org.apache.dubbo.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Dubbo face of push-subscribe. A store outage is answered with an {@link RpcException}: Dubbo hands that type
 * to callers unchanged, whereas our own exception types would arrive wrapped in a plain RuntimeException, and callers
 * treat an RpcException as "service unavailable, try later" (HTTP 503, CONNECT_ACK server unavailable).
 */
@DubboService
public class SubscribeServiceProvider implements SubscribeService {
  private static final Logger log = LoggerFactory.getLogger(SubscribeServiceProvider.class);

  private final DeviceRegistrations registrations;
  private final DeviceAuthenticator authenticator;
  private final ConnectorRouter router;
  private final LegacySubscriptions legacy;

  public SubscribeServiceProvider(
      DeviceRegistrations registrations,
      DeviceAuthenticator authenticator,
      ConnectorRouter router,
      LegacySubscriptions legacy) {
    this.registrations = registrations;
    this.authenticator = authenticator;
    this.router = router;
    this.legacy = legacy;
  }

  @Override
  public Registration register(RegisterRequest request) {
    return guarded("register", () -> registrations.register(request));
  }

  @Override
  public AuthResult authenticate(String appId, String regId, String token) {
    return guarded("authenticate", () -> authenticator.authenticate(appId, regId, token));
  }

  @Override
  public List<AuthResult> authenticateAll(List<DeviceCredentials> credentials) {
    return guarded("authenticateAll", () -> authenticator.authenticateAll(credentials));
  }

  @Override
  public List<ConnectorEndpoint> route(String appId, String regId) {
    // A mutable list: immutable JDK collections do not survive every Dubbo serialization.
    return guarded("route", () -> new ArrayList<>(router.route()));
  }

  @Override
  public LegacySubscription subscribeLegacy(String uid) {
    return guarded("subscribeLegacy", () -> legacy.subscribe(uid));
  }

  @Override
  public List<LegacySubscription> subscribeLegacyAll(List<String> uids) {
    return guarded("subscribeLegacyAll", () -> legacy.subscribeAll(uids));
  }

  @Override
  public String resolveLegacyToken(String token) {
    return guarded("resolveLegacyToken", () -> legacy.resolve(token));
  }

  private static <T> T guarded(String operation, Supplier<T> action) {
    try {
      return action.get();
    } catch (StoreUnavailableException e) {
      log.warn("{} failed: {}", operation, e.getMessage());
      // No cause: the store's exception types are not part of the RPC contract and would not deserialize.
      throw new RpcException(RpcException.UNKNOWN_EXCEPTION, "store unavailable: " + e.getMessage());
    }
  }
}
