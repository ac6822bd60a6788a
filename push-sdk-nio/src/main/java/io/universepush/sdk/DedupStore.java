package io.universepush.sdk;

/**
 * Remembers which messages the app has already handled, so that redeliveries (the wire is at-least-once) reach the
 * app only once. Bounded: an implementation forgets the least recently seen ids beyond its capacity, which is safe
 * because the server stops redelivering a message once it has the acknowledgement or the message expired.
 *
 * <p>The client asks {@link #seen(String, String, String)} before calling {@link PushListener#onMessage}, and calls
 * {@link #markSeen(String, String, String)} only once that returned normally, before it sends the acknowledgement:
 * a listener that throws gets the message again on redelivery. A message id is unique per device, so two apps on one
 * connection (two bindings) are kept apart. Implementations only need {@link #seen(String)} and
 * {@link #markSeen(String)}; a persistent one must have the mark stored when {@code markSeen} returns, or a crash
 * between the acknowledgement and the write would show the message again after a restart.
 *
 * <p>Implementations are thread-safe: several clients may share one store.
 */
public interface DedupStore {

  /** True when {@code key} was marked (and not forgotten since). */
  boolean seen(String key);

  /** Records {@code key} as handled. */
  void markSeen(String key);

  /** Whether the binding ({@code appId}, {@code regId}) already handled {@code msgId}. */
  default boolean seen(String appId, String regId, String msgId) {
    return seen(key(appId, regId, msgId));
  }

  /** Records that the binding ({@code appId}, {@code regId}) handled {@code msgId}. */
  default void markSeen(String appId, String regId, String msgId) {
    markSeen(key(appId, regId, msgId));
  }

  /**
   * The key of a message for one binding. App ids and reg ids never contain a line break, so joining with one keeps
   * keys of different bindings apart whatever the message id holds.
   */
  static String key(String appId, String regId, String msgId) {
    return appId + '\n' + regId + '\n' + msgId;
  }
}
