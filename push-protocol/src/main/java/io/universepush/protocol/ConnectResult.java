package io.universepush.protocol;

/** CONNECT_ACK sub-signal codes (the same values MQTT 3.1.1 uses, shifted by one). */
public enum ConnectResult {
  ACCEPTED(1),
  BAD_PROTOCOL_VERSION(2),
  IDENTIFIER_REJECTED(3),
  SERVER_UNAVAILABLE(4),
  BAD_CREDENTIALS(5),
  NOT_AUTHORIZED(6);

  private final int code;

  ConnectResult(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static ConnectResult fromCode(int code) {
    for (ConnectResult r : values()) {
      if (r.code == code) {
        return r;
      }
    }
    return null;
  }
}
