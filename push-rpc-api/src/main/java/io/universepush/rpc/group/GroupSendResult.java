package io.universepush.rpc.group;

import java.io.Serializable;

/** The answer to a send: the result code and, when OK, the message's sequence (group sends) and id. */
public class GroupSendResult implements Serializable {
  private static final long serialVersionUID = 1L;

  private GroupResultCode code;
  private String reason;
  private String groupId;
  private long seq;
  private String msgId;
  private long sentAtMs;

  public GroupSendResult() {}

  public GroupSendResult(GroupResultCode code, String reason, String groupId, long seq, String msgId, long sentAtMs) {
    this.code = code;
    this.reason = reason;
    this.groupId = groupId;
    this.seq = seq;
    this.msgId = msgId;
    this.sentAtMs = sentAtMs;
  }

  public static GroupSendResult refused(GroupResultCode code, String reason) {
    return new GroupSendResult(code, reason, null, 0, null, 0);
  }

  public boolean isOk() {
    return code == GroupResultCode.OK;
  }

  public GroupResultCode getCode() {
    return code;
  }

  public void setCode(GroupResultCode code) {
    this.code = code;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getGroupId() {
    return groupId;
  }

  public void setGroupId(String groupId) {
    this.groupId = groupId;
  }

  public long getSeq() {
    return seq;
  }

  public void setSeq(long seq) {
    this.seq = seq;
  }

  public String getMsgId() {
    return msgId;
  }

  public void setMsgId(String msgId) {
    this.msgId = msgId;
  }

  public long getSentAtMs() {
    return sentAtMs;
  }

  public void setSentAtMs(long sentAtMs) {
    this.sentAtMs = sentAtMs;
  }
}
