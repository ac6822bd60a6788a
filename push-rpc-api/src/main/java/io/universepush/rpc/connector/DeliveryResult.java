package io.universepush.rpc.connector;

import java.io.Serializable;

/** The outcome for one delivery of a batch. */
public class DeliveryResult implements Serializable {
  private static final long serialVersionUID = 1L;

  private String msgId;
  private String regId;
  private DeliveryOutcome outcome;

  public DeliveryResult() {}

  public DeliveryResult(String msgId, String regId, DeliveryOutcome outcome) {
    this.msgId = msgId;
    this.regId = regId;
    this.outcome = outcome;
  }

  public String getMsgId() {
    return msgId;
  }

  public void setMsgId(String msgId) {
    this.msgId = msgId;
  }

  public String getRegId() {
    return regId;
  }

  public void setRegId(String regId) {
    this.regId = regId;
  }

  public DeliveryOutcome getOutcome() {
    return outcome;
  }

  public void setOutcome(DeliveryOutcome outcome) {
    this.outcome = outcome;
  }

  @Override
  public String toString() {
    return msgId + "/" + regId + ":" + outcome;
  }
}
