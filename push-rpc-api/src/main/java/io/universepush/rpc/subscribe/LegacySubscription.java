package io.universepush.rpc.subscribe;

import java.io.Serializable;

/** A legacy device's binding: the reg id it is known by and the token universe_push clients push to. */
public class LegacySubscription implements Serializable {
  private static final long serialVersionUID = 1L;

  private String appId;
  private String regId;
  private String token;

  public LegacySubscription() {}

  public LegacySubscription(String appId, String regId, String token) {
    this.appId = appId;
    this.regId = regId;
    this.token = token;
  }

  public String getAppId() {
    return appId;
  }

  public void setAppId(String appId) {
    this.appId = appId;
  }

  public String getRegId() {
    return regId;
  }

  public void setRegId(String regId) {
    this.regId = regId;
  }

  public String getToken() {
    return token;
  }

  public void setToken(String token) {
    this.token = token;
  }
}
