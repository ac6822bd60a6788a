package io.universepush.rpc.subscribe;

import java.io.Serializable;

/** A registered device: its reg id and its token (the token in plain text only in this answer). */
public class Registration implements Serializable {
  private static final long serialVersionUID = 1L;

  private String appId;
  private String regId;
  private String token;

  public Registration() {}

  public Registration(String appId, String regId, String token) {
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
