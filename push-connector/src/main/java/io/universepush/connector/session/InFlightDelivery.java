package io.universepush.connector.session;

import io.universepush.rpc.connector.Delivery;

/**
 * One push written to a connection and not acknowledged yet: what to write again if its ack does not come, which
 * attempt it is, and when it is due. Mutable, touched only on the connection's event loop.
 */
public final class InFlightDelivery {
  private final Delivery delivery;
  private int attempt;
  private long dueAtMs;
  /** A redelivery is being prepared (its attempt is being counted in the store): not due again meanwhile. */
  private boolean redelivering;

  InFlightDelivery(Delivery delivery, int attempt, long dueAtMs) {
    this.delivery = delivery;
    this.attempt = attempt;
    this.dueAtMs = dueAtMs;
  }

  public Delivery delivery() {
    return delivery;
  }

  public String msgId() {
    return delivery.getMsgId();
  }

  public String regId() {
    return delivery.getRegId();
  }

  /** A tag or app-wide push: no pending entry, the fan-out log is its truth across connections. */
  public boolean isFanout() {
    return isFanout(delivery);
  }

  /**
   * Stored with a pending entry for the device (a unicast push with a ttl): its attempts are counted in the store and
   * its ack removes the entry. Online-only pushes (no expiry) and fan-out pushes live in this connection only.
   */
  public boolean isPersisted() {
    return isPersisted(delivery);
  }

  public static boolean isFanout(Delivery delivery) {
    return delivery.getFanoutId() != null && !delivery.getFanoutId().isEmpty();
  }

  public static boolean isPersisted(Delivery delivery) {
    return !isFanout(delivery) && delivery.getExpiresAtMs() > 0;
  }

  public int attempt() {
    return attempt;
  }

  public long dueAtMs() {
    return dueAtMs;
  }

  public boolean isRedelivering() {
    return redelivering;
  }

  public void redelivering(boolean value) {
    this.redelivering = value;
  }

  /** Records a new write of the push: its attempt number and when the next one is due. */
  public void written(int newAttempt, long newDueAtMs) {
    this.attempt = newAttempt;
    this.dueAtMs = newDueAtMs;
    this.redelivering = false;
    delivery.setAttempt(newAttempt);
  }

  /** Postpones the next attempt (the store could not count this one). */
  public void postpone(long newDueAtMs) {
    this.dueAtMs = newDueAtMs;
    this.redelivering = false;
  }
}
