package io.universepush.connector.session;

import io.universepush.rpc.connector.Delivery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes written to one connection and not acknowledged yet, by message id (one entry per device, unless two bindings
 * of the connection got the same message). An ack names only message ids, so this is how it finds what it settles;
 * the redelivery timer finds here what is due. Changed only on the connection's event loop; {@link #holds} may be
 * asked from any thread (a pending flush skips what is in flight already).
 */
public final class InFlightDeliveries {
  private final Map<String, List<InFlightDelivery>> byMsgId = new HashMap<>();
  private final Set<Key> keys = ConcurrentHashMap.newKeySet();
  private volatile int size;

  /** The new entry, or null when this (message, device) pair is already in flight: writing it again would duplicate. */
  public InFlightDelivery add(Delivery delivery, int attempt, long dueAtMs) {
    List<InFlightDelivery> entries = byMsgId.computeIfAbsent(delivery.getMsgId(), id -> new ArrayList<>(1));
    for (InFlightDelivery entry : entries) {
      if (entry.regId().equals(delivery.getRegId())) {
        return null;
      }
    }
    InFlightDelivery entry = new InFlightDelivery(delivery, attempt, dueAtMs);
    entries.add(entry);
    keys.add(new Key(entry.msgId(), entry.regId()));
    size++;
    return entry;
  }

  /** Every entry the message was in flight for; empty for an unknown (duplicate or stray) ack. */
  public List<InFlightDelivery> acknowledge(String msgId) {
    List<InFlightDelivery> entries = byMsgId.remove(msgId);
    if (entries == null) {
      return Collections.emptyList();
    }
    size -= entries.size();
    for (InFlightDelivery entry : entries) {
      keys.remove(new Key(msgId, entry.regId()));
    }
    return entries;
  }

  /** Forgets this entry (write failed, expired, given up). True when it was still there. */
  public boolean remove(InFlightDelivery entry) {
    List<InFlightDelivery> entries = byMsgId.get(entry.msgId());
    if (entries == null || !entries.remove(entry)) {
      return false;
    }
    if (entries.isEmpty()) {
      byMsgId.remove(entry.msgId());
    }
    keys.remove(new Key(entry.msgId(), entry.regId()));
    size--;
    return true;
  }

  /** Whether this very entry is still in flight (not acked nor forgotten since it was looked up). */
  public boolean contains(InFlightDelivery entry) {
    List<InFlightDelivery> entries = byMsgId.get(entry.msgId());
    return entries != null && entries.contains(entry);
  }

  /** Entries due at {@code nowMs} and not already being redelivered. */
  public List<InFlightDelivery> due(long nowMs) {
    List<InFlightDelivery> due = new ArrayList<>();
    for (List<InFlightDelivery> entries : byMsgId.values()) {
      for (InFlightDelivery entry : entries) {
        if (!entry.isRedelivering() && entry.dueAtMs() <= nowMs) {
          due.add(entry);
        }
      }
    }
    return due;
  }

  /** The earliest due time of an entry not being redelivered; {@link Long#MAX_VALUE} when there is none. */
  public long nextDueAtMs() {
    long next = Long.MAX_VALUE;
    for (List<InFlightDelivery> entries : byMsgId.values()) {
      for (InFlightDelivery entry : entries) {
        if (!entry.isRedelivering()) {
          next = Math.min(next, entry.dueAtMs());
        }
      }
    }
    return next;
  }

  /** Any thread: whether the message is in flight for the device. */
  public boolean holds(String msgId, String regId) {
    return keys.contains(new Key(msgId, regId));
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  private record Key(String msgId, String regId) {}
}
