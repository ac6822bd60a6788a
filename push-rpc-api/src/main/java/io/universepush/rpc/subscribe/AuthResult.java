package io.universepush.rpc.subscribe;

import java.io.Serializable;

/** The answer to {@link SubscribeService#authenticate}. */
public class AuthResult implements Serializable {
  private static final long serialVersionUID = 1L;

  private AuthOutcome outcome;
  private String platform;
  /** When the device registered (0: unknown); lets a connector start its fan-out log without reading the device. */
  private long registeredAtMs;

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

  public AuthResult(AuthOutcome outcome, String platform, long registeredAtMs) {
    this(outcome, platform);
    this.registeredAtMs = registeredAtMs;
  }

  public long getRegisteredAtMs() {
    return registeredAtMs;
  }

  public void setRegisteredAtMs(long registeredAtMs) {
    this.registeredAtMs = registeredAtMs;
  }

  public String getPlatform() {
    return platform;
  }

  public void setPlatform(String platform) {
    this.platform = platform;
  }
}
