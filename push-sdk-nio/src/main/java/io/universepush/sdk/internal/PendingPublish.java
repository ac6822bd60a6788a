package io.universepush.sdk.internal;

import com.google.protobuf.ByteString;
import io.universepush.protocol.proto.Publish;
import io.universepush.sdk.PublishException;
import io.universepush.sdk.PublishFuture;
import io.universepush.sdk.PublishResult;

/**
 * One upstream message (PUBLISH) from the app's call to its answer: what to send, and the future the app waits on.
 * Made on the app's thread, sent and settled on the I/O thread. Not public API.
 */
public final class PendingPublish extends PublishFuture {
  /** PUBLISH sub-signals. */
  public enum Kind {
    GROUP(1),
    SINGLE(2),
    JOIN(3),
    LEAVE(4);

    final int subSignal;

    Kind(int subSignal) {
      this.subSignal = subSignal;
    }
  }

  final Kind kind;
  final String appId;
  final String regId;
  /** The group id, or for {@link Kind#SINGLE} the recipient (reg id or alias). */
  final String target;

  final byte[] payload;
  final long ttlSeconds;

  /**
   * @throws IllegalArgumentException when the target is empty or the ttl does not fit the wire's uint32
   */
  public PendingPublish(Kind kind, String appId, String regId, String target, byte[] payload, long ttlSeconds) {
    if (target == null || target.isEmpty()) {
      throw new IllegalArgumentException(kind == Kind.SINGLE ? "recipient is empty" : "group id is empty");
    }
    if (ttlSeconds < 0 || ttlSeconds > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("ttlSeconds out of range: " + ttlSeconds);
    }
    this.kind = kind;
    this.appId = appId;
    this.regId = regId;
    this.target = target;
    this.payload = payload == null ? new byte[0] : payload;
    this.ttlSeconds = ttlSeconds;
  }

  Publish body() {
    Publish.Builder body =
        Publish.newBuilder()
            .setRegId(regId)
            .setPayload(ByteString.copyFrom(payload))
            .setTtlSeconds((int) ttlSeconds);
    if (kind == Kind.SINGLE) {
      body.setTo(target);
    } else {
      body.setGroupId(target);
    }
    return body.build();
  }

  boolean answered(PublishResult result) {
    return complete(result);
  }

  /** No answer will come; {@code sent}: the message was written (the server may have it). */
  boolean unanswered(String reason, boolean sent) {
    return fail(new PublishException(reason, sent));
  }

  @Override
  public String toString() {
    return kind + " " + target + " for " + appId + "/" + regId + " " + super.toString();
  }
}
