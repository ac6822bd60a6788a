package io.universepush.rpc.group;

import java.io.Serializable;

/** A group as its app sees it. */
public class GroupInfo implements Serializable {
  private static final long serialVersionUID = 1L;

  private String groupId;
  private String appId;
  private String name;
  private String owner;
  private long memberCount;
  private long createdAtMs;

  public GroupInfo() {}

  public GroupInfo(String groupId, String appId, String name, String owner, long memberCount, long createdAtMs) {
    this.groupId = groupId;
    this.appId = appId;
    this.name = name;
    this.owner = owner;
    this.memberCount = memberCount;
    this.createdAtMs = createdAtMs;
  }

  public String getGroupId() {
    return groupId;
  }

  public void setGroupId(String groupId) {
    this.groupId = groupId;
  }

  public String getAppId() {
    return appId;
  }

  public void setAppId(String appId) {
    this.appId = appId;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getOwner() {
    return owner;
  }

  public void setOwner(String owner) {
    this.owner = owner;
  }

  public long getMemberCount() {
    return memberCount;
  }

  public void setMemberCount(long memberCount) {
    this.memberCount = memberCount;
  }

  public long getCreatedAtMs() {
    return createdAtMs;
  }

  public void setCreatedAtMs(long createdAtMs) {
    this.createdAtMs = createdAtMs;
  }
}
