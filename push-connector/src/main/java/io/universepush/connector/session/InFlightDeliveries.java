package io.universepush.connector.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes written to one connection and not acknowledged yet: message id to the reg ids it was written for (one,
 * unless two bindings of the connection got the same message). An ack names only message ids, so this is how it
 * finds the pending entries to remove. Touched only on the connection's event loop.
 */
public final class InFlightDeliveries {
  private final Map<String, List<String>> regIdsByMsgId = new HashMap<>();
  private int size;

  /** False when this (message, device) pair is already in flight: writing it again would be a duplicate. */
  public boolean add(String msgId, String regId) {
    List<String> regIds = regIdsByMsgId.computeIfAbsent(msgId, id -> new ArrayList<>(1));
    if (regIds.contains(regId)) {
      return false;
    }
    regIds.add(regId);
    size++;
    return true;
  }

  /** Every reg id the message was in flight for; empty for an unknown (duplicate or stray) ack. */
  public List<String> acknowledge(String msgId) {
    List<String> regIds = regIdsByMsgId.remove(msgId);
    if (regIds == null) {
      return Collections.emptyList();
    }
    size -= regIds.size();
    return regIds;
  }

  /** Forgets one pair (its write failed). True when it was there. */
  public boolean remove(String msgId, String regId) {
    List<String> regIds = regIdsByMsgId.get(msgId);
    if (regIds == null || !regIds.remove(regId)) {
      return false;
    }
    if (regIds.isEmpty()) {
      regIdsByMsgId.remove(msgId);
    }
    size--;
    return true;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }
}
