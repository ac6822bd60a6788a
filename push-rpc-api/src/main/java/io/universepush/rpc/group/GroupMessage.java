package io.universepush.rpc.group;

import java.io.Serializable;

/** One message of a group's history. */
public class GroupMessage implements Serializable {
  private static final long serialVersionUID = 1L;

  private long seq;
  private String msgId;
  private String from;
  private byte[] payload;
  private long sentAtMs;

  public GroupMessage() {}

  public GroupMessage(long seq, String msgId, String from, byte[] payload, long sentAtMs) {
    this.seq = seq;
    this.msgId = msgId;
    this.from = from;
    this.payload = payload;
    this.sentAtMs = sentAtMs;
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

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public byte[] getPayload() {
    return payload;
  }

  public void setPayload(byte[] payload) {
    this.payload = payload;
  }

  public long getSentAtMs() {
    return sentAtMs;
  }

  public void setSentAtMs(long sentAtMs) {
    this.sentAtMs = sentAtMs;
  }
}
