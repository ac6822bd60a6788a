package io.universepush.connector.auth;

import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.rpc.subscribe.AuthResult;
import io.universepush.rpc.subscribe.LegacySubscription;
import io.universepush.rpc.subscribe.SubscribeService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Device credentials, checked by push-subscribe over Dubbo. Blocking: call from the blocking pool only. */
@Component
public class DeviceAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(DeviceAuthenticator.class);

  private final SubscribeService subscribe;

  public DeviceAuthenticator(SubscribeService subscribe) {
    this.subscribe = subscribe;
  }

  /**
   * One result per binding, in order, each checked on its own (one bad token does not fail the others). A binding
   * that could not be checked is SERVER_UNAVAILABLE. The fan-out start is left to the caller.
   */
  public List<AuthenticatedBinding> authenticate(List<Binding> bindings) {
    List<AuthenticatedBinding> results = new ArrayList<>(bindings.size());
    Set<String> seen = new HashSet<>();
    for (Binding binding : bindings) {
      String appId = binding.getAppId();
      String regId = binding.getRegId();
      if (appId.isBlank() || regId.isBlank()) {
        results.add(rejected(appId, regId, "app_id and reg_id required"));
      } else if (!seen.add(regId)) {
        results.add(rejected(appId, regId, "duplicate reg_id"));
      } else {
        results.add(check(appId, regId, binding.getToken()));
      }
    }
    return results;
  }

  private static AuthenticatedBinding rejected(String appId, String regId, String reason) {
    return new AuthenticatedBinding(
        ConnectDecision.result(appId, regId, ConnectResult.IDENTIFIER_REJECTED, reason), null, null);
  }

  private AuthenticatedBinding check(String appId, String regId, String token) {
    try {
      AuthResult auth = subscribe.authenticate(appId, regId, token);
      ConnectResult result = ConnectDecision.resultOf(auth == null ? null : auth.getOutcome());
      String reason = result == ConnectResult.ACCEPTED ? "" : String.valueOf(auth == null ? null : auth.getOutcome());
      return new AuthenticatedBinding(
          ConnectDecision.result(appId, regId, result, reason), auth == null ? null : auth.getPlatform(), null);
    } catch (RuntimeException e) {
      log.warn("authentication of {}/{} failed: {}", appId, regId, e.getMessage());
      return new AuthenticatedBinding(
          ConnectDecision.result(appId, regId, ConnectResult.SERVER_UNAVAILABLE, "authentication service unavailable"),
          null,
          null);
    }
  }

  /** universe_push's SUB; null when push-subscribe could not be reached. */
  public LegacySubscription subscribeLegacy(String uid) {
    try {
      return subscribe.subscribeLegacy(uid);
    } catch (RuntimeException e) {
      log.warn("legacy subscription of uid '{}' failed: {}", uid, e.getMessage());
      return null;
    }
  }
}
