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

  /** One result per binding, in order. A binding that could not be checked is SERVER_UNAVAILABLE. */
  public List<BindingResult> authenticate(List<Binding> bindings) {
    List<BindingResult> results = new ArrayList<>(bindings.size());
    Set<String> seen = new HashSet<>();
    for (Binding binding : bindings) {
      String appId = binding.getAppId();
      String regId = binding.getRegId();
      if (appId.isBlank() || regId.isBlank()) {
        results.add(ConnectDecision.result(appId, regId, ConnectResult.IDENTIFIER_REJECTED, "app_id and reg_id required"));
      } else if (!seen.add(regId)) {
        results.add(ConnectDecision.result(appId, regId, ConnectResult.IDENTIFIER_REJECTED, "duplicate reg_id"));
      } else {
        results.add(check(appId, regId, binding.getToken()));
      }
    }
    return results;
  }

  private BindingResult check(String appId, String regId, String token) {
    try {
      AuthResult auth = subscribe.authenticate(appId, regId, token);
      ConnectResult result = ConnectDecision.resultOf(auth == null ? null : auth.getOutcome());
      String reason = result == ConnectResult.ACCEPTED ? "" : String.valueOf(auth == null ? null : auth.getOutcome());
      return ConnectDecision.result(appId, regId, result, reason);
    } catch (RuntimeException e) {
      log.warn("authentication of {}/{} failed: {}", appId, regId, e.getMessage());
      return ConnectDecision.result(appId, regId, ConnectResult.SERVER_UNAVAILABLE, "authentication service unavailable");
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
