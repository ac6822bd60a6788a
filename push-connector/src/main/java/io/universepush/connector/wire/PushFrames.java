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

  public static Frame forVersion(ProtocolVersion version, SendPush push) {
    return version == ProtocolVersion.V3 ? v3(push) : legacy(version, push.content());
  }

  /** Version 3: a protobuf {@code Push}; message id 0 because the delivery id travels in the body. */
  public static Frame v3(SendPush send) {
    Delivery delivery = send.content();
    Push.Builder push =
        Push.newBuilder()
            .setMsgId(text(delivery.getMsgId()))
            .setAppId(text(delivery.getAppId()))
            .setRegId(text(send.regId()))
            .setPayload(delivery.getPayload() == null ? ByteString.EMPTY : ByteString.copyFrom(delivery.getPayload()))
            .setTitle(text(delivery.getTitle()))
            .setAlert(text(delivery.getAlert()))
            .setExpiresAtMs(delivery.getExpiresAtMs())
            .setSentAtMs(delivery.getSentAtMs())
            .setAttempt(Math.max(1, send.attempt()))
            .setFanoutOffset(send.fanoutOffset())
            .setFanoutPrevOffset(send.fanoutPrevOffset());
    putAll(delivery.getExtras(), push::putExtras);
    IosOptions ios = delivery.getIos();
    if (ios != null) {
      io.universepush.protocol.proto.IosOptions.Builder options =
          io.universepush.protocol.proto.IosOptions.newBuilder()
              .setSound(text(ios.getSound()))
              .setProduction(ios.isProduction());
      if (ios.getBadge() != null) {
        options.setBadge(ios.getBadge());
      }
      putAll(ios.getExtras(), options::putExtras);
      push.setIos(options);
    }
    AndroidOptions android = delivery.getAndroid();
    if (android != null) {
      io.universepush.protocol.proto.AndroidOptions.Builder options =
          io.universepush.protocol.proto.AndroidOptions.newBuilder();
      putAll(android.getExtras(), options::putExtras);
      push.setAndroid(options);
    }
    return Frame.v3(Signal.PUSH, 0, 0, push.build());
  }

  /** Protobuf maps refuse null keys and values: such entries are left out. */
  private static void putAll(Map<String, String> from, BiConsumer<String, String> to) {
    if (from != null) {
      from.forEach(
          (key, value) -> {
            if (key != null && value != null) {
              to.accept(key, value);
            }
          });
    }
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

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
