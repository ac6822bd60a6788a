package io.universepush.store.message;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Messages (stored once, with their TTL) and each device's pending set. */
public interface MessageStore {
  /**
   * Stores the message and puts its id in each target's pending set, atomically enough that an answer to the API
   * caller means the message is durable for every target.
   */
  void saveWithPending(StoredMessage message, Collection<String> regIds);

  Optional<StoredMessage> find(String msgId);

  /** Loads several messages in one round trip; missing (expired) ones are absent from the map. */
  Map<String, StoredMessage> findAll(Collection<String> msgIds);

  /** A device's pending message ids, oldest first, at most {@code limit}; expired entries are dropped on the way. */
  List<String> pending(String regId, int limit);

  /** Removes a pending entry; true when it was there (first ack), false for a duplicate ack. */
  boolean removePending(String regId, String msgId);

  /**
   * Removes several pending entries in one round trip (a batch of acks); per entry, in order, true when it was there.
   * Their attempt counts go with them.
   */
  List<Boolean> removePending(List<PendingEntry> entries);

  /**
   * Counts one more delivery attempt of each entry that is still pending, in one round trip, and returns the new counts
   * in order: 1 on the first delivery, more on redeliveries, across connections and nodes. 0 for an entry that is not
   * pending (acked, failed, expired, or never stored, as online-only pushes are). The counts live next to the pending
   * set and are removed with their entries.
   */
  List<Integer> countAttempts(List<PendingEntry> entries);

  /** Drops every pending entry of a device (device deleted). */
  void clearPending(String regId);
}
