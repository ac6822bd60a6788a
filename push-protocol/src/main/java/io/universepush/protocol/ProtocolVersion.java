package io.universepush.protocol;

/** Byte 1 of the header: which header generation and which body encoding a frame uses. */
public enum ProtocolVersion {
  /** universe_push's first header generation: 6 bytes, 16-bit length, legacy JSON/text bodies. */
  V1(1, 6),
  /** universe_push's second header generation: 10 bytes, legacy JSON/text bodies. */
  V2(2, 10),
  /** This project's bodies: 10-byte header, protobuf bodies from push.proto. */
  V3(3, 10);

  private final int code;
  private final int headerLength;

  ProtocolVersion(int code, int headerLength) {
    this.code = code;
    this.headerLength = headerLength;
  }

  public int code() {
    return code;
  }

  public int headerLength() {
    return headerLength;
  }

  /** True for the versions whose bodies are universe_push's JSON or text. */
  public boolean isLegacy() {
    return this != V3;
  }

  /** The version for a header byte, or null when unknown. */
  public static ProtocolVersion fromByte(int b) {
    switch (b) {
      case 1:
        return V1;
      case 2:
        return V2;
      case 3:
        return V3;
      default:
        return null;
    }
  }
}
