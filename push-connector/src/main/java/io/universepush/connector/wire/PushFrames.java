package io.universepush.connector.wire;

import com.google.protobuf.ByteString;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.legacy.LegacyBodies;
import io.universepush.protocol.proto.Push;
import io.universepush.rpc.connector.AndroidOptions;
import io.universepush.connector.session.SessionAction.SendPush;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.IosOptions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiConsumer;

/** A delivery as the PUSH frame each protocol version expects. */
public final class PushFrames {
  /** Version-1 headers carry a 16-bit length. */
  public static final int MAX_V1_BODY = 0xFFFF;

  private PushFrames() {}

  /** Version 3: a {@link PushFrame} (message id 0: the delivery id travels in the body); 1 and 2: text. */
  public static Object forVersion(ProtocolVersion version, SendPush push) {
    return version == ProtocolVersion.V3 ? PushFrame.of(push) : legacy(version, push.content());
  }

  /** Versions 1 and 2: universe_push's PUSH, the payload as UTF-8 text with message id 0. */
  public static Frame legacy(ProtocolVersion version, Delivery delivery) {
    byte[] payload = delivery.getPayload();
    return LegacyBodies.push(version, payload == null ? "" : new String(payload, StandardCharsets.UTF_8));
  }

  /** Whether the payload fits the version's length field. */
  public static boolean fits(ProtocolVersion version, Delivery delivery) {
    int length = delivery.getPayload() == null ? 0 : delivery.getPayload().length;
    return version != ProtocolVersion.V1 || length <= MAX_V1_BODY;
  }
}
