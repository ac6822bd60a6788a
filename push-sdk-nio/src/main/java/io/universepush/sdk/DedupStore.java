package io.universepush.sdk;

/**
 * Remembers which message ids the app has already been given, so that redeliveries (the wire is at-least-once) reach
 * the app only once. Bounded: an implementation forgets the least recently seen ids beyond its capacity, which is safe
 * because the server stops redelivering a message once it has the acknowledgement or the message expired.
 *
 * <p>Implementations are thread-safe: several clients (one per app on a device) may share one store.
 */
public interface DedupStore {

  /** Records {@code msgId}; true when it had not been seen before (or was forgotten since), false for a duplicate. */
  boolean firstSeen(String msgId);
}
