package io.universepush.connector.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.protocol.ConnectResult;
import io.universepush.connector.wire.PushFrame;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Push;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the TCP frame encoder's place on MQTT connections: the frames the session writes become MQTT packets.
 * CONNECT_ACK becomes CONNACK (its result less one: the codes are MQTT's, shifted), each PUSH a QoS 1 PUBLISH of the
 * push as JSON on {@code push/{reg_id}} (DUP on redelivery), the answer to a client's PINGREQ a PINGRESP; a DISCONNECT
 * closes the connection, since MQTT 3.1.1 has no server DISCONNECT. Per connection: it allocates packet ids.
 */
final class MqttOutboundAdapter extends ChannelOutboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(MqttOutboundAdapter.class);
  /** PING sub-signal of the server's answer. */
  private static final int PONG = 1;

  private final MqttConnection connection;
  private final ConnectorMetrics metrics;
  private final LongSupplier nanoTime;

  MqttOutboundAdapter(MqttConnection connection, ConnectorMetrics metrics, LongSupplier nanoTime) {
    this.connection = connection;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    Frame frame = PushFrame.asFrame(msg);
    if (frame == null) {
      ctx.write(msg, promise);
      return;
    }
    // A body that does not parse as its signal's message throws: the write fails, as on TCP.
    switch (frame.signal()) {
      case CONNECT_ACK -> connectAck(ctx, frame, promise);
      case PUSH -> ctx.write(publish(Push.parseFrom(FrameEncoder.bodyOf(frame))), promise);
      case PING -> {
        if (frame.subSignal() == PONG && connection.answerPong()) {
          ctx.write(new MqttMessage(MqttReplies.header(MqttMessageType.PINGRESP)), promise);
        } else {
          // The answer to a PING this adapter sent for a busy client: nothing to tell it.
          promise.setSuccess();
        }
      }
      case DISCONNECT -> {
        Disconnect disconnect = Disconnect.parseFrom(FrameEncoder.bodyOf(frame));
        log.debug(
            "MQTT {} closed by the server: {} {}",
            ctx.channel().remoteAddress(),
            disconnect.getReasonCode(),
            disconnect.getReason());
        promise.setSuccess();
        ctx.close();
      }
      default -> {
        log.debug("MQTT {}: {} has no MQTT packet, dropped", ctx.channel().remoteAddress(), frame);
        promise.setSuccess();
      }
    }
    metrics.frameOut(frame.signal());
  }

  private void connectAck(ChannelHandlerContext ctx, Frame frame, ChannelPromise promise) throws Exception {
    ConnectResult result = ConnectResult.fromCode(frame.subSignal());
    MqttConnectReturnCode code = returnCode(result);
    // Pending pushes live in Redis whatever the clean-session flag: there is no MQTT session state to report.
    ctx.write(
        new MqttConnAckMessage(
            MqttReplies.header(MqttMessageType.CONNACK), new MqttConnAckVariableHeader(code, false)),
        promise);
    if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
      ConnectAck ack = ConnectAck.parseFrom(FrameEncoder.bodyOf(frame));
      connection.accepted(ack.getHeartbeatIntervalMs(), nanoTime.getAsLong());
      for (MqttMessage reply : connection.takeHeldReplies()) {
        ctx.write(reply);
      }
    }
  }

  static MqttConnectReturnCode returnCode(ConnectResult result) {
    if (result == null) {
      return MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
    }
    return switch (result) {
      case ACCEPTED -> MqttConnectReturnCode.CONNECTION_ACCEPTED;
      case BAD_PROTOCOL_VERSION -> MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION;
      case IDENTIFIER_REJECTED -> MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
      case SERVER_UNAVAILABLE -> MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
      case BAD_CREDENTIALS -> MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
      case NOT_AUTHORIZED -> MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
    };
  }

  private MqttPublishMessage publish(Push push) {
    String regId = push.getRegId().isEmpty() ? connection.regId() : push.getRegId();
    int packetId = connection.packetIdFor(push.getMsgId());
    boolean redelivery = push.getAttempt() > 1;
    return new MqttPublishMessage(
        new MqttFixedHeader(MqttMessageType.PUBLISH, redelivery, MqttQoS.AT_LEAST_ONCE, false, 0),
        new MqttPublishVariableHeader(MqttTopics.device(regId), packetId),
        Unpooled.wrappedBuffer(MqttJson.push(push)));
  }
}
