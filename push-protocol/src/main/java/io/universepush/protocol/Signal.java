package io.universepush.protocol;

/** What a frame is, byte 2 of the header. */
public enum Signal {
  SUB(1),
  AUTH(2),
  PING(3),
  PUSH(4),
  CONTACT(5),
  CONNECT(6),
  CONNECT_ACK(7),
  DISCONNECT(8),
  PUBLISH(9),
  PUB_ACK(10);

  private static final Signal[] BY_CODE = new Signal[128];

  static {
    for (Signal s : values()) {
      BY_CODE[s.code] = s;
    }
  }

  private final int code;

  Signal(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /**
   * The signal for a header byte, or null when unknown. Old clients may set bit 7, so only the low 7 bits count.
   */
  public static Signal fromByte(int headerByte) {
    return BY_CODE[headerByte & 0x7F];
  }

  /** Accepts a number or a name in any case, as WebSocket JSON clients send either. Null when unknown. */
  public static Signal fromName(String name) {
    if (name == null) {
      return null;
    }
    String trimmed = name.trim();
    for (Signal s : values()) {
      if (s.name().equalsIgnoreCase(trimmed)) {
        return s;
      }
    }
    try {
      int code = Integer.parseInt(trimmed);
      return code >= 0 && code < 128 ? fromByte(code) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
