package io.universepush.connector.auth;

import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.rpc.subscribe.AuthResult;
import io.universepush.rpc.subscribe.DeviceCredentials;
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

  /** A checked binding and when its device registered (0: unknown), which the fan-out start needs. */
  public record Checked(AuthenticatedBinding binding, long registeredAtMs) {}

  /**
   * {@link #authenticate} for many CONNECTs in one call to push-subscribe: one list of results per CONNECT, in order.
   * When that call fails, every binding it carried is SERVER_UNAVAILABLE (the clients retry).
   */
  public List<List<Checked>> authenticateAll(List<List<Binding>> connects) {
    List<List<Checked>> results = new ArrayList<>(connects.size());
    List<DeviceCredentials> asked = new ArrayList<>();
    List<int[]> askedAt = new ArrayList<>();
    for (int c = 0; c < connects.size(); c++) {
      List<Binding> bindings = connects.get(c);
      List<Checked> checked = new ArrayList<>(bindings.size());
      Set<String> seen = new HashSet<>();
      for (int b = 0; b < bindings.size(); b++) {
        Binding binding = bindings.get(b);
        String appId = binding.getAppId();
        String regId = binding.getRegId();
        if (appId.isBlank() || regId.isBlank()) {
          checked.add(new Checked(rejected(appId, regId, "app_id and reg_id required"), 0));
        } else if (!seen.add(regId)) {
          checked.add(new Checked(rejected(appId, regId, "duplicate reg_id"), 0));
        } else {
          checked.add(null);
          asked.add(new DeviceCredentials(appId, regId, binding.getToken()));
          askedAt.add(new int[] {c, b});
        }
      }
      results.add(checked);
    }
    if (asked.isEmpty()) {
      return results;
    }
    List<AuthResult> answers;
    try {
      answers = subscribe.authenticateAll(asked);
      if (answers == null || answers.size() != asked.size()) {
        throw new IllegalStateException("push-subscribe answered " + (answers == null ? "nothing" : answers.size())
            + " results for " + asked.size() + " bindings");
      }
    } catch (RuntimeException e) {
      log.warn("authentication of {} bindings failed: {}", asked.size(), e.getMessage());
      answers = null;
    }
    for (int i = 0; i < asked.size(); i++) {
      DeviceCredentials credentials = asked.get(i);
      int[] at = askedAt.get(i);
      Checked checked;
      if (answers == null) {
        checked = new Checked(unavailable(credentials.getAppId(), credentials.getRegId()), 0);
      } else {
        AuthResult auth = answers.get(i);
        checked = new Checked(toBinding(credentials.getAppId(), credentials.getRegId(), auth),
            auth == null ? 0 : auth.getRegisteredAtMs());
      }
      results.get(at[0]).set(at[1], checked);
    }
    return results;
  }

  private static AuthenticatedBinding toBinding(String appId, String regId, AuthResult auth) {
    ConnectResult result = ConnectDecision.resultOf(auth == null ? null : auth.getOutcome());
    String reason = result == ConnectResult.ACCEPTED ? "" : String.valueOf(auth == null ? null : auth.getOutcome());
    return new AuthenticatedBinding(
        ConnectDecision.result(appId, regId, result, reason), auth == null ? null : auth.getPlatform(), null);
  }

  private static AuthenticatedBinding unavailable(String appId, String regId) {
    return new AuthenticatedBinding(
        ConnectDecision.result(appId, regId, ConnectResult.SERVER_UNAVAILABLE, "authentication service unavailable"),
        null,
        null);
  }

  private static AuthenticatedBinding rejected(String appId, String regId, String reason) {
    return new AuthenticatedBinding(
        ConnectDecision.result(appId, regId, ConnectResult.IDENTIFIER_REJECTED, reason), null, null);
  }

  private AuthenticatedBinding check(String appId, String regId, String token) {
    try {
      return toBinding(appId, regId, subscribe.authenticate(appId, regId, token));
    } catch (RuntimeException e) {
      log.warn("authentication of {}/{} failed: {}", appId, regId, e.getMessage());
      return unavailable(appId, regId);
    }
  }

  /**
   * universe_push's SUB for many uids in one call, one subscription per uid in order (null for a uid push-subscribe
   * refused). Throws when push-subscribe could not be reached.
   */
  public List<LegacySubscription> subscribeLegacyAll(List<String> uids) {
    return subscribe.subscribeLegacyAll(uids);
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
