package io.universepush.rpc.subscribe;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.Set;

/** A device registration for one app. */
public class RegisterRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  private String appId;
  /** android, ios, web or other. */
  private String platform;
  private String alias;
  private Set<String> tags = new LinkedHashSet<>();

  public RegisterRequest() {}

  public RegisterRequest(String appId, String platform, String alias, Set<String> tags) {
    this.appId = appId;
    this.platform = platform;
    this.alias = alias;
    this.tags = tags == null ? new LinkedHashSet<>() : new LinkedHashSet<>(tags);
  }

  public String getAppId() {
    return appId;
  }

  public void setAppId(String appId) {
    this.appId = appId;
  }

  public String getPlatform() {
    return platform;
  }

  public void setPlatform(String platform) {
    this.platform = platform;
  }

  public String getAlias() {
    return alias;
  }

  public void setAlias(String alias) {
    this.alias = alias;
  }

  public Set<String> getTags() {
    return tags;
  }

  public void setTags(Set<String> tags) {
    this.tags = tags;
  }
}
