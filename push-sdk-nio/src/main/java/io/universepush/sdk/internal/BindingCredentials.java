package io.universepush.sdk.internal;

/** One (app id, reg id, token) the client authenticates on its connection. Immutable. Not public API. */
public final class BindingCredentials {
  private final String appId;
  private final String regId;
  private final String token;

  public BindingCredentials(String appId, String regId, String token) {
    if (isEmpty(appId) || isEmpty(regId) || isEmpty(token)) {
      throw new IllegalArgumentException("app id, reg id and token are required");
    }
    this.appId = appId;
    this.regId = regId;
    this.token = token;
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  public String appId() {
    return appId;
  }

  public String regId() {
    return regId;
  }

  public String token() {
    return token;
  }

  boolean is(String appId, String regId) {
    return this.appId.equals(appId) && this.regId.equals(regId);
  }

  @Override
  public String toString() {
    return appId + "/" + regId;
  }
}
