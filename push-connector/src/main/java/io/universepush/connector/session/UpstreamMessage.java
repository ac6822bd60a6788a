package io.universepush.connector.session;

import io.universepush.protocol.Frame;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.PublishAck;

/**
 * A message a device sends upstream (PUBLISH): to a group it is a member of, to one device, or joining or leaving a
 * group. The sub-signal of PUBLISH tells which.
 *
 * @param regId the sending binding (empty: the connection's only one)
 * @param target the group id, or for a single message the recipient (a reg id or an alias)
 * @param payload the message, UTF-8 JSON (empty for joins and leaves)
 */
public record UpstreamMessage(Kind kind, String regId, String target, byte[] payload, long ttlSeconds) {

  public enum Kind {
    GROUP(1),
    SINGLE(2),
    JOIN(3),
    LEAVE(4);

    private final int subSignal;

    Kind(int subSignal) {
      this.subSignal = subSignal;
    }

    public int subSignal() {
      return subSignal;
    }

    /** The kind of a PUBLISH sub-signal, or null. */
    public static Kind of(int subSignal) {
      for (Kind kind : values()) {
        if (kind.subSignal == subSignal) {
          return kind;
        }
      }
      return null;
    }
  }

  public UpstreamMessage {
    regId = regId == null ? "" : regId;
    target = target == null ? "" : target;
    payload = payload == null ? new byte[0] : payload;
  }

  /** What became of a sent message. */
  record Sent(String msgId, long seq) {}

  /** PUB_ACK from the server: the answer to the PUBLISH with this message id. */
  static Frame answer(int messageId, int result, String reason, Sent sent, long serverTimeMs) {
    PublishAck.Builder ack =
        PublishAck.newBuilder().setResult(result).setReason(reason == null ? "" : reason).setServerTimeMs(serverTimeMs);
    if (sent != null) {
      ack.setMsgId(sent.msgId()).setSeq(sent.seq());
    }
    return Frame.v3(Signal.PUB_ACK, result, messageId, ack.build());
  }
}
