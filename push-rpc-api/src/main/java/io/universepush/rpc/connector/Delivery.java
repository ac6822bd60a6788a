package io.universepush.rpc.connector;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** One message for one device, as the connector writes it to the wire. */
public class Delivery implements Serializable {
  private static final long serialVersionUID = 1L;

  private String msgId;
  private String appId;
  private String regId;
  /** The push's "message" as UTF-8 JSON bytes; legacy clients receive it as text. */
  private byte[] payload;
  private String title;
  private String alert;
  private Map<String, String> extras = new LinkedHashMap<>();
  /** Epoch millis after which the message must not be delivered; 0 for online-only pushes. */
  private long expiresAtMs;
  private long sentAtMs;
  private int attempt = 1;
  /** A tag or app-wide push (connectors only: it has no pending entry; its fan-out offset travels beside it). */
  private boolean fanout;
  /** Null when the push has no ios options. */
  private IosOptions ios;
  /** Null when the push has no android options. */
  private AndroidOptions android;

  public Delivery() {}

  public String getMsgId() {
    return msgId;
  }

  public void setMsgId(String msgId) {
    this.msgId = msgId;
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

  public byte[] getPayload() {
    return payload;
  }

  public void setPayload(byte[] payload) {
    this.payload = payload;
  }

  public String getTitle() {
    return title;
  }

  public void setTitle(String title) {
    this.title = title;
  }

  public String getAlert() {
    return alert;
  }

  public void setAlert(String alert) {
    this.alert = alert;
  }

  public Map<String, String> getExtras() {
    return extras;
  }

  public void setExtras(Map<String, String> extras) {
    this.extras = extras;
  }

  public long getExpiresAtMs() {
    return expiresAtMs;
  }

  public void setExpiresAtMs(long expiresAtMs) {
    this.expiresAtMs = expiresAtMs;
  }

  public long getSentAtMs() {
    return sentAtMs;
  }

  public void setSentAtMs(long sentAtMs) {
    this.sentAtMs = sentAtMs;
  }

  public int getAttempt() {
    return attempt;
  }

  public void setAttempt(int attempt) {
    this.attempt = attempt;
  }

  public boolean isFanout() {
    return fanout;
  }

  public void setFanout(boolean fanout) {
    this.fanout = fanout;
  }

  public IosOptions getIos() {
    return ios;
  }

  public void setIos(IosOptions ios) {
    this.ios = ios;
  }

  public AndroidOptions getAndroid() {
    return android;
  }

  public void setAndroid(AndroidOptions android) {
    this.android = android;
  }

  @Override
  public String toString() {
    return "Delivery{" + msgId + " -> " + appId + "/" + regId + "}";
  }
}
