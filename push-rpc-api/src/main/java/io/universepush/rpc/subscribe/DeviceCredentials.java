package io.universepush.rpc.subscribe;

import java.io.Serializable;

/** One (app, reg id, token) to check, an element of {@link SubscribeService#authenticateAll}. */
public class DeviceCredentials implements Serializable {
  private static final long serialVersionUID = 1L;

  private String appId;
  private String regId;
  private String token;

  public DeviceCredentials() {}

  public DeviceCredentials(String appId, String regId, String token) {
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
