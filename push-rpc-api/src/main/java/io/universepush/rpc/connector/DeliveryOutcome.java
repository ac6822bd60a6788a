package io.universepush.rpc.connector;

/** What a connector did with one delivery. */
public enum DeliveryOutcome {
  /** Written to the device's connection; for acking clients the ack is still to come. */
  WRITTEN,
  /** The device has no session on this node (stale route): the message stays pending. */
  NOT_CONNECTED,
  /** Past its expiry: not written. */
  EXPIRED,
  /** The session refused it (its outbound queue is full, or the binding was logged out). */
  REJECTED
}
