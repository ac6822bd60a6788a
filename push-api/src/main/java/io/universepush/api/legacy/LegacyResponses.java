package io.universepush.api.legacy;

import java.util.List;

/**
 * universe_push's answers: {@code {"code":..,"message":..}} plus, for some endpoints, a field in its camelCase. HTTP
 * status is 200 whatever the code, as old app servers expect.
 */
final class LegacyResponses {
  static final int OK = 200;
  static final int TOKEN_EMPTY = 10001;
  static final int MESSAGE_EMPTY = 10002;
  static final int TOKENS_INVALID = 10003;
  static final int MESSAGE_TOO_LARGE = 10004;
  static final int PUSH_FAILED = 20001;

  private LegacyResponses() {}

  public record Result(int code, String message) {}

  public record BatchResult(int code, String message, List<String> successTokens, List<String> failTokens) {}

  public record OnlineNum(int code, String message, long onlineNum) {}

  public record OnlineStatus(int code, String message, boolean online) {}

  public record NodeInfo(String ip, int port) {}

  public record Redirect(int code, String message, List<NodeInfo> nodeInfos) {}
}
