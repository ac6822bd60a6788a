package io.universepush.rpc.group;

/** What became of a send; the codes are also PUB_ACK result codes on the wire (see docs/PROTOCOL.md). */
public enum GroupResultCode {
  OK(0),
  NOT_A_MEMBER(1),
  GROUP_NOT_FOUND(2),
  RATE_LIMITED(3),
  TOO_LARGE(4),
  RECIPIENT_NOT_FOUND(5),
  INVALID(6),
  UNAVAILABLE(7);

  private final int code;

  GroupResultCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
