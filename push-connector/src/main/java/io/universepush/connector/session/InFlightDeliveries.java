package io.universepush.connector.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The window of one session: pushes written and not acknowledged yet, one per (message, binding), in write order.
 * An ack names the binding (or, from older clients, only the message); the redelivery timer finds here what is due.
 */
final class InFlightDeliveries {
  private final Map<InFlightDelivery.Key, InFlightDelivery> byKey = new LinkedHashMap<>();

  /** False when this (message, binding) pair is already in flight: writing it again would duplicate. */
  boolean add(InFlightDelivery entry) {
    return byKey.putIfAbsent(entry.key(), entry) == null;
  }

  boolean holds(InFlightDelivery.Key key) {
    return byKey.containsKey(key);
  }

  /** The entry settled by an ack of this message for this binding, or null (a duplicate or stray ack). */
  InFlightDelivery acknowledge(String msgId, String regId) {
    return byKey.remove(new InFlightDelivery.Key(msgId, regId));
  }

  /** Every entry of the message, whatever its binding (acks of clients that name no binding). */
  List<InFlightDelivery> acknowledgeAll(String msgId) {
    List<InFlightDelivery> settled = new ArrayList<>(1);
    byKey.values().removeIf(
        entry -> {
          if (entry.msgId().equals(msgId)) {
            settled.add(entry);
            return true;
          }
          return false;
        });
    return settled;
  }

  /** Forgets this entry (expired, given up, unbound). True when it was still there. */
  boolean remove(InFlightDelivery entry) {
    return byKey.remove(entry.key(), entry);
  }

  /** Whether this very entry is still in flight (not acked nor forgotten since it was looked up). */
  boolean contains(InFlightDelivery entry) {
    return byKey.get(entry.key()) == entry;
  }

  /** Entries due at {@code nowMs} and not already being redelivered, in write order. */
  List<InFlightDelivery> due(long nowMs) {
    List<InFlightDelivery> due = new ArrayList<>();
    for (InFlightDelivery entry : byKey.values()) {
      if (!entry.isRedelivering() && entry.dueAtMs() <= nowMs) {
        due.add(entry);
      }
    }
    return due;
  }

  /** The earliest due time of an entry not being redelivered; {@link Long#MAX_VALUE} when there is none. */
  long nextDueAtMs() {
    long next = Long.MAX_VALUE;
    for (InFlightDelivery entry : byKey.values()) {
      if (!entry.isRedelivering()) {
        next = Math.min(next, entry.dueAtMs());
      }
    }
    return next;
  }

  /** The entries of one binding (it left the session). */
  List<InFlightDelivery> removeBinding(String regId) {
    List<InFlightDelivery> removed = new ArrayList<>();
    byKey.values().removeIf(
        entry -> {
          if (entry.regId().equals(regId)) {
            removed.add(entry);
            return true;
          }
          return false;
        });
    return removed;
  }

  List<InFlightDelivery> all() {
    return Collections.unmodifiableList(new ArrayList<>(byKey.values()));
  }

  int size() {
    return byKey.size();
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }
}
