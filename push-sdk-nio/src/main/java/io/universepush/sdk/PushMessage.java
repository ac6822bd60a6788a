package io.universepush.sdk;

import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One push as the app receives it. Immutable. */
public final class PushMessage {
  private static final Charset UTF_8 = Charset.forName("UTF-8");

  private final String msgId;
  private final String appId;
  private final String regId;
  private final byte[] payload;
  private final String title;
  private final String alert;
  private final Map<String, String> extras;
  private final long expiresAtMs;
  private final long sentAtMs;
  private final int attempt;
  private final long fanoutOffset;
  private final IosOptions ios;
  private final AndroidOptions android;
  private final String groupId;
  private final String from;
  private final long seq;

  public PushMessage(
      String msgId,
      String appId,
      String regId,
      byte[] payload,
      String title,
      String alert,
      Map<String, String> extras,
      long expiresAtMs,
      long sentAtMs,
      int attempt) {
    this(msgId, appId, regId, payload, title, alert, extras, expiresAtMs, sentAtMs, attempt, 0, null, null);
  }

  /**
   * @param fanoutOffset the offset in the app's fan-out log, 0 for a push that is not from it
   * @param ios null when the push had no iOS options
   * @param android null when the push had no Android options
   */
  public PushMessage(
      String msgId,
      String appId,
      String regId,
      byte[] payload,
      String title,
      String alert,
      Map<String, String> extras,
      long expiresAtMs,
      long sentAtMs,
      int attempt,
      long fanoutOffset,
      IosOptions ios,
      AndroidOptions android) {
    this(
        msgId, appId, regId, payload, title, alert, extras, expiresAtMs, sentAtMs, attempt, fanoutOffset, ios, android,
        null, null);
  }

  /**
   * @param offset the offset in the log of the message's channel: the app's fan-out log ({@link #fanoutOffset()}),
   *     or for a group message the group's ({@link #seq()})
   * @param groupId the group of a group message; null or empty for any other push
   * @param from the reg id of the device that sent it; null or empty when the app's server did
   */
  public PushMessage(
      String msgId,
      String appId,
      String regId,
      byte[] payload,
      String title,
      String alert,
      Map<String, String> extras,
      long expiresAtMs,
      long sentAtMs,
      int attempt,
      long offset,
      IosOptions ios,
      AndroidOptions android,
      String groupId,
      String from) {
    this.groupId = groupId == null || groupId.isEmpty() ? null : groupId;
    this.from = from == null || from.isEmpty() ? null : from;
    this.fanoutOffset = this.groupId == null ? offset : 0;
    this.seq = this.groupId == null ? 0 : offset;
    this.msgId = nonNull(msgId);
    this.appId = nonNull(appId);
    this.regId = nonNull(regId);
    this.payload = payload == null ? new byte[0] : payload.clone();
    this.title = nonNull(title);
    this.alert = nonNull(alert);
    this.extras =
        extras == null || extras.isEmpty()
            ? Collections.<String, String>emptyMap()
            : Collections.unmodifiableMap(new LinkedHashMap<String, String>(extras));
    this.expiresAtMs = expiresAtMs;
    this.sentAtMs = sentAtMs;
    this.attempt = attempt;
    this.ios = ios;
    this.android = android;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  /** The server's delivery id; the same message redelivered keeps it. */
  public String msgId() {
    return msgId;
  }

  public String appId() {
    return appId;
  }

  public String regId() {
    return regId;
  }

  /** A copy of the payload: the push request's {@code message}, as UTF-8 JSON. */
  public byte[] payload() {
    return payload.clone();
  }

  public String payloadAsString() {
    return new String(payload, UTF_8);
  }

  /** Empty when the push had none. */
  public String title() {
    return title;
  }

  /** Empty when the push had none. */
  public String alert() {
    return alert;
  }

  /** Unmodifiable. */
  public Map<String, String> extras() {
    return extras;
  }

  /** Epoch millis after which the server stops delivering it; 0 for online-only pushes. */
  public long expiresAtMs() {
    return expiresAtMs;
  }

  /** Epoch millis when the server sent it; 0 when unknown. */
  public long sentAtMs() {
    return sentAtMs;
  }

  /** 1 on first delivery, more on redelivery. */
  public int attempt() {
    return attempt;
  }

  /**
   * The offset of this message in its app's fan-out log for tag and app-wide pushes with a ttl; 0 for a push
   * addressed to this device alone, sent to online devices only, or to a group (see {@link #seq()}).
   */
  public long fanoutOffset() {
    return fanoutOffset;
  }

  /** The group of a group message; null for any other push. */
  public String groupId() {
    return groupId;
  }

  /**
   * The reg id of the device that sent it (a group message, or one a device sent to this one alone); null when the
   * app's server sent it.
   */
  public String from() {
    return from;
  }

  /**
   * A group message's sequence in its group (consecutive from 1 per group and epoch, with gaps for messages this device
   * did not get, e.g. its own); 0 for any other push.
   */
  public long seq() {
    return seq;
  }

  /** The push's iOS options, or null when it had none. */
  public IosOptions ios() {
    return ios;
  }

  /** The push's Android options, or null when it had none. */
  public AndroidOptions android() {
    return android;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PushMessage)) {
      return false;
    }
    PushMessage m = (PushMessage) o;
    return msgId.equals(m.msgId)
        && appId.equals(m.appId)
        && regId.equals(m.regId)
        && Arrays.equals(payload, m.payload)
        && title.equals(m.title)
        && alert.equals(m.alert)
        && extras.equals(m.extras)
        && expiresAtMs == m.expiresAtMs
        && sentAtMs == m.sentAtMs
        && attempt == m.attempt
        && fanoutOffset == m.fanoutOffset
        && seq == m.seq
        && equal(groupId, m.groupId)
        && equal(from, m.from)
        && equal(ios, m.ios)
        && equal(android, m.android);
  }

  private static boolean equal(Object a, Object b) {
    return a == null ? b == null : a.equals(b);
  }

  @Override
  public int hashCode() {
    return ((msgId.hashCode() * 31 + regId.hashCode()) * 31 + Arrays.hashCode(payload)) * 31 + attempt;
  }

  @Override
  public String toString() {
    return "PushMessage{msgId=" + msgId + ", appId=" + appId + ", regId=" + regId + ", payload=" + payload.length
        + "B, attempt=" + attempt
        + (fanoutOffset == 0 ? "" : ", fanoutOffset=" + fanoutOffset)
        + (groupId == null ? "" : ", groupId=" + groupId + ", seq=" + seq)
        + (from == null ? "" : ", from=" + from) + "}";
  }
}
