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

  /** Drops every pending entry of a device (device deleted). */
  void clearPending(String regId);
}
