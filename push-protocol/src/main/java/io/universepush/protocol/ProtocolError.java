package io.universepush.protocol;

/** Why a byte stream is not a valid frame stream. Each closes the connection with this reason. */
public enum ProtocolError {
  BAD_MAGIC,
  UNKNOWN_VERSION,
  UNKNOWN_SIGNAL,
  NEGATIVE_LENGTH,
  FRAME_TOO_LARGE,
  /** The stream ended inside a frame. */
  TRUNCATED_FRAME,
  /** The header was fine but the body does not parse as what the signal requires. */
  MALFORMED_BODY,
  /** A valid frame that is not allowed in the connection's current state (e.g. PUSH from a client). */
  UNEXPECTED_FRAME
}
