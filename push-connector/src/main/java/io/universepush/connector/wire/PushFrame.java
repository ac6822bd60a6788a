package io.universepush.connector.wire;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.universepush.connector.session.SessionAction.SendPush;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.AndroidOptions;
import io.universepush.protocol.proto.IosOptions;
import io.universepush.protocol.proto.Push;
import io.universepush.rpc.connector.Delivery;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A version-3 PUSH as two bodies: the message's fields, the same for every binding it goes to, and the few that are
 * the binding's own (reg id, attempt, fan-out offsets). Protobuf reads concatenated messages as one, so the frame's
 * body is simply both; the TCP encoder writes them as a composite buffer, so a fan-out's shared body is encoded once
 * and never copied per session. Transports that need the whole frame (WebSocket, MQTT) ask {@link #toFrame()}.
 */
public final class PushFrame {
  private final byte[] shared;
  private final byte[] own;

  private PushFrame(byte[] shared, byte[] own) {
    this.shared = shared;
    this.own = own;
  }

  public static PushFrame of(SendPush send) {
    Delivery content = send.content();
    byte[] shared = content instanceof FanoutContent fanout ? fanout.sharedBody() : sharedBodyOf(content);
    byte[] own =
        Push.newBuilder()
            .setRegId(text(send.regId()))
            .setAttempt(Math.max(1, send.attempt()))
            .setFanoutOffset(send.fanoutOffset())
            .setFanoutPrevOffset(send.fanoutPrevOffset())
            .build()
            .toByteArray();
    return new PushFrame(shared, own);
  }

  /** The fields of a message that are the same whichever binding it goes to. */
  static byte[] sharedBodyOf(Delivery delivery) {
    Push.Builder push =
        Push.newBuilder()
            .setMsgId(text(delivery.getMsgId()))
            .setAppId(text(delivery.getAppId()))
            .setPayload(delivery.getPayload() == null ? ByteString.EMPTY : ByteString.copyFrom(delivery.getPayload()))
            .setTitle(text(delivery.getTitle()))
            .setAlert(text(delivery.getAlert()))
            .setExpiresAtMs(delivery.getExpiresAtMs())
            .setSentAtMs(delivery.getSentAtMs());
    putAll(delivery.getExtras(), push::putExtras);
    if (delivery instanceof FanoutContent fanout && fanout.groupId() != null) {
      push.setGroupId(fanout.groupId()).setFrom(fanout.sender());
    }
    io.universepush.rpc.connector.IosOptions ios = delivery.getIos();
    if (ios != null) {
      IosOptions.Builder options = IosOptions.newBuilder().setSound(text(ios.getSound())).setProduction(ios.isProduction());
      if (ios.getBadge() != null) {
        options.setBadge(ios.getBadge());
      }
      putAll(ios.getExtras(), options::putExtras);
      push.setIos(options);
    }
    io.universepush.rpc.connector.AndroidOptions android = delivery.getAndroid();
    if (android != null) {
      AndroidOptions.Builder options = AndroidOptions.newBuilder();
      putAll(android.getExtras(), options::putExtras);
      push.setAndroid(options);
    }
    return push.build().toByteArray();
  }

  public int bodyLength() {
    return shared.length + own.length;
  }

  /** Header and both bodies, the shared one wrapped, not copied. */
  public ByteBuf encoded() {
    ByteBuf header = Unpooled.buffer(ProtocolVersion.V3.headerLength());
    // The version-3 header of docs/PROTOCOL.md: magic, version, signal, body length, sub-signal 0, message id 0.
    header
        .writeByte(Frame.MAGIC)
        .writeByte(ProtocolVersion.V3.code())
        .writeByte(Signal.PUSH.code())
        .writeInt(bodyLength())
        .writeByte(0)
        .writeShort(0);
    return Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(shared), Unpooled.wrappedBuffer(own));
  }

  /**
   * What a transport that translates whole frames (WebSocket, MQTT) is asked to write, as a frame: a {@link Frame}
   * as it is, a PushFrame joined into one; null for anything else (its own packets, passed on untouched).
   */
  public static Frame asFrame(Object outbound) {
    if (outbound instanceof PushFrame push) {
      return push.toFrame();
    }
    return outbound instanceof Frame frame ? frame : null;
  }

  /** The whole frame, one body. */
  public Frame toFrame() {
    byte[] body = new byte[bodyLength()];
    System.arraycopy(shared, 0, body, 0, shared.length);
    System.arraycopy(own, 0, body, shared.length, own.length);
    return Frame.of(ProtocolVersion.V3, Signal.PUSH, 0, 0, body);
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

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
