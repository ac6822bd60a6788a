package io.universepush.connector.mqtt;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttQoS;

/** Fixed headers and the small packets the server sends. */
final class MqttReplies {
  private MqttReplies() {}

  /** The fixed header of a packet without flags; the encoder computes the remaining length. */
  static MqttFixedHeader header(MqttMessageType type) {
    return new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0);
  }

  static MqttPubAckMessage pubAck(int packetId) {
    return new MqttPubAckMessage(header(MqttMessageType.PUBACK), MqttMessageIdVariableHeader.from(packetId));
  }
}
