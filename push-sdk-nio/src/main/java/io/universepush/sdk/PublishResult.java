package io.universepush.sdk;

/**
 * The server's answer to an upstream message ({@link PushClient#sendToGroup}, {@link PushClient#sendTo}, {@link
 * PushClient#joinGroup}, {@link PushClient#leaveGroup}): the PUB_ACK's {@code PublishAck}. A refusal is a result too,
 * with its {@link #code()}; only a message that got no answer fails its {@link PublishFuture}. Immutable.
 */
public final class PublishResult {
  public static final int OK = 0;
  public static final int NOT_A_MEMBER = 1;
  public static final int GROUP_NOT_FOUND = 2;
  public static final int RATE_LIMITED = 3;
  public static final int TOO_LARGE = 4;
  public static final int RECIPIENT_NOT_FOUND = 5;
  public static final int INVALID = 6;
  public static final int UNAVAILABLE = 7;

  private static final String[] NAMES = {
    "OK", "NOT_A_MEMBER", "GROUP_NOT_FOUND", "RATE_LIMITED", "TOO_LARGE", "RECIPIENT_NOT_FOUND", "INVALID",
    "UNAVAILABLE"
  };

  private final int code;
  private final String reason;
  private final String msgId;
  private final long seq;
  private final long serverTimeMs;

  public PublishResult(int code, String reason, String msgId, long seq, long serverTimeMs) {
    this.code = code;
    this.reason = reason == null ? "" : reason;
    this.msgId = msgId == null ? "" : msgId;
    this.seq = seq;
    this.serverTimeMs = serverTimeMs;
  }

  /** {@link #OK} or why the server refused (one of the constants here; a newer server may send others). */
  public int code() {
    return code;
  }

  public boolean isOk() {
    return code == OK;
  }

  /** The constant's name for {@link #code()}, e.g. {@code NOT_A_MEMBER}; {@code CODE_<n>} for an unknown one. */
  public String codeName() {
    return code >= 0 && code < NAMES.length ? NAMES[code] : "CODE_" + code;
  }

  /** The server's explanation of a refusal; empty when it gave none. */
  public String reason() {
    return reason;
  }

  /** The id the server gave the message (for a join or leave: the group's id); empty on a refusal. */
  public String msgId() {
    return msgId;
  }

  /** A group message's sequence in its group, as its members see it in {@link PushMessage#seq()}; 0 otherwise. */
  public long seq() {
    return seq;
  }

  /** The server's clock when it answered, epoch millis. */
  public long serverTimeMs() {
    return serverTimeMs;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PublishResult)) {
      return false;
    }
    PublishResult r = (PublishResult) o;
    return code == r.code
        && seq == r.seq
        && serverTimeMs == r.serverTimeMs
        && reason.equals(r.reason)
        && msgId.equals(r.msgId);
  }

  @Override
  public int hashCode() {
    return ((code * 31 + msgId.hashCode()) * 31 + (int) (seq ^ (seq >>> 32))) * 31 + reason.hashCode();
  }

  @Override
  public String toString() {
    return "PublishResult{" + codeName() + (reason.isEmpty() ? "" : " " + reason)
        + (msgId.isEmpty() ? "" : ", msgId=" + msgId) + (seq == 0 ? "" : ", seq=" + seq) + "}";
  }
}
