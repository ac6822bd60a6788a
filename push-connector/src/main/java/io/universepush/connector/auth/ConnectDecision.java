package io.universepush.connector.auth;

import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.rpc.subscribe.AuthOutcome;
import java.util.List;

/**
 * The CONNECT rules, free of I/O: what each binding's authentication outcome means on the wire, and what the whole
 * connection's result is.
 */
public final class ConnectDecision {
  private ConnectDecision() {}

  /** Per binding: unknown app -> NOT_AUTHORIZED; unknown device or wrong token -> BAD_CREDENTIALS. */
  public static ConnectResult resultOf(AuthOutcome outcome) {
    if (outcome == null) {
      return ConnectResult.SERVER_UNAVAILABLE;
    }
    return switch (outcome) {
      case ACCEPTED -> ConnectResult.ACCEPTED;
      case UNKNOWN_APP -> ConnectResult.NOT_AUTHORIZED;
      case UNKNOWN_DEVICE, BAD_TOKEN -> ConnectResult.BAD_CREDENTIALS;
    };
  }

  /**
   * The connection is accepted when at least one binding is. Otherwise: SERVER_UNAVAILABLE if any binding could not
   * be checked (the client should retry later, not re-register), NOT_AUTHORIZED if every binding named an unknown
   * app, the common code when all bindings failed alike, else BAD_CREDENTIALS.
   */
  public static ConnectResult overall(List<BindingResult> bindings) {
    if (bindings.isEmpty()) {
      return ConnectResult.IDENTIFIER_REJECTED;
    }
    boolean unavailable = false;
    Integer common = null;
    boolean allSame = true;
    for (BindingResult binding : bindings) {
      int code = binding.getResult();
      if (code == ConnectResult.ACCEPTED.code()) {
        return ConnectResult.ACCEPTED;
      }
      unavailable |= code == ConnectResult.SERVER_UNAVAILABLE.code();
      if (common == null) {
        common = code;
      } else if (common != code) {
        allSame = false;
      }
    }
    if (unavailable) {
      return ConnectResult.SERVER_UNAVAILABLE;
    }
    if (allSame) {
      ConnectResult result = ConnectResult.fromCode(common);
      if (result != null) {
        return result;
      }
    }
    return ConnectResult.BAD_CREDENTIALS;
  }

  static BindingResult result(String appId, String regId, ConnectResult result, String reason) {
    return BindingResult.newBuilder()
        .setAppId(appId)
        .setRegId(regId)
        .setResult(result.code())
        .setReason(reason == null ? "" : reason)
        .build();
  }
}
