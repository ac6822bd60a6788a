package io.universepush.connector.session;

import io.universepush.rpc.connector.Delivery;

/**
 * One push for one binding of a session, written and not acknowledged yet (or queued, before its first write): what
 * to write again if the ack does not come, which attempt it is and when it is due. The content is shared and never
 * changed (a fan-out message is the same object for every session); what differs per binding lives here. Touched only
 * by its session.
 */
public final class InFlightDelivery {
  private final Delivery content;
  private final String regId;
  /** The fan-out channel it came from ("" the app's own); meaningful only with a fan-out offset. */
  private final String channel;
  private final long fanoutOffset;
  private final long fanoutPrevOffset;
  private int attempt;
  private long dueAtMs;
  /** Its next attempt is being counted in the store: not due again meanwhile. */
  private boolean redelivering;

  InFlightDelivery(Delivery content, String regId, long fanoutOffset, long fanoutPrevOffset, int attempt) {
    this(content, regId, "", fanoutOffset, fanoutPrevOffset, attempt);
  }

  InFlightDelivery(
      Delivery content, String regId, String channel, long fanoutOffset, long fanoutPrevOffset, int attempt) {
    this.content = content;
    this.regId = regId;
    this.channel = channel;
    this.fanoutOffset = fanoutOffset;
    this.fanoutPrevOffset = fanoutPrevOffset;
    this.attempt = Math.max(1, attempt);
  }

  public Delivery content() {
    return content;
  }

  public String msgId() {
    return content.getMsgId();
  }

  public String regId() {
    return regId;
  }

  public long fanoutOffset() {
    return fanoutOffset;
  }

  public long fanoutPrevOffset() {
    return fanoutPrevOffset;
  }

  /** Whether it came from this channel's log. */
  boolean isFrom(String fanoutChannel) {
    return fanoutOffset > 0 && channel.equals(fanoutChannel);
  }

  /** A tag or app-wide push (logged or online-only): no pending entry, the fan-out log is its truth. */
  public boolean isFanout() {
    return fanoutOffset > 0 || content.isFanout();
  }

  /**
   * A unicast push with a ttl: it has a pending entry for the device, its attempts are counted in the store and its
   * ack removes the entry. Online-only and fan-out pushes live in this connection only.
   */
  public boolean isPersisted() {
    return !isFanout() && content.getExpiresAtMs() > 0;
  }

  public boolean isExpired(long nowMs) {
    return content.getExpiresAtMs() > 0 && nowMs >= content.getExpiresAtMs();
  }

  public int attempt() {
    return attempt;
  }

  public long dueAtMs() {
    return dueAtMs;
  }

  boolean isRedelivering() {
    return redelivering;
  }

  void redelivering() {
    this.redelivering = true;
  }

  /** Records a write of the push: its attempt number and when the next one is due. */
  void written(int newAttempt, long newDueAtMs) {
    this.attempt = newAttempt;
    this.dueAtMs = newDueAtMs;
    this.redelivering = false;
  }

  /** Postpones the next attempt (the store could not count this one). */
  void postpone(long newDueAtMs) {
    this.dueAtMs = newDueAtMs;
    this.redelivering = false;
  }

  Key key() {
    return new Key(msgId(), regId);
  }

  /** A message for one binding: a session holds it at most once, queued or in flight. */
  record Key(String msgId, String regId) {}

  @Override
  public String toString() {
    return msgId() + "->" + regId + " #" + attempt;
  }
}
