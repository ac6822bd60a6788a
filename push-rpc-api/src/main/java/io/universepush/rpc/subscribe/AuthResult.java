package io.universepush.rpc.subscribe;

import java.io.Serializable;

/** The answer to {@link SubscribeService#authenticate}. */
public class AuthResult implements Serializable {
  private static final long serialVersionUID = 1L;

  private AuthOutcome outcome;
  private String platform;

  public AuthResult() {}

  public AuthResult(AuthOutcome outcome, String platform) {
    this.outcome = outcome;
    this.platform = platform;
  }

  public boolean isAccepted() {
    return outcome == AuthOutcome.ACCEPTED;
  }

  public AuthOutcome getOutcome() {
    return outcome;
  }

  public void setOutcome(AuthOutcome outcome) {
    this.outcome = outcome;
  }

  public String getPlatform() {
    return platform;
  }

  public void setPlatform(String platform) {
    this.platform = platform;
  }
}
