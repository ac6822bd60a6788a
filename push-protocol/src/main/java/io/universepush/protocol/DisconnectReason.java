package io.universepush.protocol;

/** Codes carried in a DISCONNECT frame's sub-signal and in its body's reason_code. */
public enum DisconnectReason {
  NORMAL(0),
  PROTOCOL_ERROR(1),
  IDLE_TIMEOUT(2),
  AUTH_FAILED(3),
  SESSION_TAKEN_OVER(4),
  SERVER_SHUTDOWN(5),
  APP_REMOVED(6),
  RATE_LIMITED(7),
  /** The server could not set the connection up (its store or a service it needs is down): reconnect later. */
  SERVER_UNAVAILABLE(8);

  private final int code;

  DisconnectReason(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static DisconnectReason fromCode(int code) {
    for (DisconnectReason r : values()) {
      if (r.code == code) {
        return r;
      }
    }
    return null;
  }
}
