package io.universepush.sdk;

/**
 * Remembers which messages the app has already been given, so that redeliveries (the wire is at-least-once) reach
 * the app only once. Bounded: an implementation forgets the least recently seen ids beyond its capacity, which is safe
 * because the server stops redelivering a message once it has the acknowledgement or the message expired.
 *
 * <p>The client asks with {@link #firstSeen(String, String, String)}: a message id is unique per device, so two apps
 * on one connection (two bindings) are kept apart. Implementations only need {@link #firstSeen(String)}.
 *
 * <p>Implementations are thread-safe: several clients may share one store.
 */
public interface DedupStore {

  /** Records {@code key}; true when it had not been seen before (or was forgotten since), false for a duplicate. */
  boolean firstSeen(String key);

  /**
   * Records the delivery of {@code msgId} to the binding ({@code appId}, {@code regId}); true when it is new. The
   * default records {@link #key(String, String, String)} through {@link #firstSeen(String)}.
   */
  default boolean firstSeen(String appId, String regId, String msgId) {
    return firstSeen(key(appId, regId, msgId));
  }

  /**
   * The key of a message for one binding. App ids and reg ids never contain a line break, so joining with one keeps
   * keys of different bindings apart whatever the message id holds.
   */
  static String key(String appId, String regId, String msgId) {
    return appId + '\n' + regId + '\n' + msgId;
  }
}
