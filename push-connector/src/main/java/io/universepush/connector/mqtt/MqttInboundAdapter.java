package io.universepush.connector.mqtt;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.universepush.connector.limits.ConnectorLimits;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Ping;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT packets into what the device pipeline reads on TCP: CONNECT, PINGREQ, PUBACK and the upstream ack and logout
 * become version-3 CONNECT, PING, PUB_ACK and DISCONNECT frames; SUBSCRIBE and UNSUBSCRIBE, which have no frame, are
 * answered here. Whatever MQTT 3.1.1 allows but this server does not serve (QoS 2, wildcard or foreign topics, a
 * second CONNECT), and packets codec-mqtt could not decode, close the connection: MQTT has no error packet after
 * CONNACK. The reason is logged once. Per connection.
 */
final class MqttInboundAdapter extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(MqttInboundAdapter.class);
  /** codec-mqtt keeps the version of the CONNECT on the channel, and encodes CONNACK for it. */
  private static final AttributeKey<MqttVersion> CODEC_VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");
  private static final int MQTT_3_1_1 = 4;
  private static final int SUBSCRIPTION_REFUSED = 0x80;
  /** Replies to packets sent before CONNACK (SUBSCRIBE, QoS 1 PUBLISH) wait for it; more closes. */
  private static final int MAX_HELD_REPLIES = 16;

  private final MqttConnection connection;
  private final int maxClientIdLength;
  private final ConnectorMetrics metrics;
  private final LongSupplier nanoTime;
  /** SUBSCRIBE and UNSUBSCRIBE are answered without reaching the rate-limit handler: the same limit, applied here. */
  private final Bucket controlPackets;
  private boolean closing;

  MqttInboundAdapter(
      MqttConnection connection,
      int maxClientIdLength,
      ConnectorLimits limits,
      ConnectorMetrics metrics,
      LongSupplier nanoTime) {
    this.connection = connection;
    this.maxClientIdLength = maxClientIdLength;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
    this.controlPackets =
        Bucket.builder()
            .addLimit(
                limit ->
                    limit.capacity(limits.frameBurst()).refillGreedy(limits.framesPerSecond(), Duration.ofSeconds(1)))
            .withSynchronizationStrategy(SynchronizationStrategy.NONE)
            .build();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof MqttMessage packet)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (!closing) {
        read(ctx, packet);
      }
    } finally {
      ReferenceCountUtil.release(packet);
    }
  }

  private void read(ChannelHandlerContext ctx, MqttMessage packet) {
    DecoderResult result = packet.decoderResult();
    if (result.isFailure()) {
      malformed(ctx, result.cause());
      return;
    }
    MqttMessageType type = packet.fixedHeader().messageType();
    if (type == MqttMessageType.CONNECT) {
      connect(ctx, (MqttConnectMessage) packet);
      return;
    }
    if (!connection.connectReceived()) {
      close(ctx, ProtocolError.UNEXPECTED_FRAME, "first packet must be CONNECT, got " + type);
      return;
    }
    switch (type) {
      case PINGREQ -> forwardPing(ctx, true);
      case PUBACK -> pubAck(ctx, (MqttPubAckMessage) packet);
      case PUBLISH -> publish(ctx, (MqttPublishMessage) packet);
      case SUBSCRIBE -> subscribe(ctx, (MqttSubscribeMessage) packet);
      case UNSUBSCRIBE -> unsubscribe(ctx, (MqttUnsubscribeMessage) packet);
      case DISCONNECT -> {
        // The client leaves; its routes go with the connection, as on any close.
        log.debug("MQTT {} disconnects", ctx.channel().remoteAddress());
        closing = true;
        ctx.close();
        return;
      }
      default -> {
        close(ctx, ProtocolError.UNEXPECTED_FRAME, type + " is not accepted from clients (no QoS 2 here)");
        return;
      }
    }
    if (type != MqttMessageType.PINGREQ && !closing && connection.heartbeatDue(nanoTime.getAsLong())) {
      forwardPing(ctx, false);
    }
  }

  private void connect(ChannelHandlerContext ctx, MqttConnectMessage packet) {
    if (connection.connectReceived()) {
      close(ctx, ProtocolError.UNEXPECTED_FRAME, "a second CONNECT");
      return;
    }
    MqttConnectVariableHeader header = packet.variableHeader();
    MqttConnectPayload payload = packet.payload();
    if (header.version() != MQTT_3_1_1) {
      refuse(
          ctx,
          MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
          "protocol level " + header.version() + ", only 4 (MQTT 3.1.1) is served");
      return;
    }
    String clientId = payload.clientIdentifier();
    if (clientId == null || clientId.isEmpty() || clientId.length() > maxClientIdLength) {
      refuse(
          ctx,
          MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
          "client id must be the device's reg_id (1.." + maxClientIdLength + " characters)");
      return;
    }
    String appId = header.hasUserName() ? payload.userName() : null;
    byte[] password = header.hasPassword() ? payload.passwordInBytes() : null;
    if (appId == null || appId.isEmpty() || password == null) {
      refuse(
          ctx,
          MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
          "user name (app id) and password (device token) are required");
      return;
    }
    connection.connectReceived(appId, clientId);
    Connect connect =
        Connect.newBuilder()
            .addBindings(
                Binding.newBuilder()
                    .setAppId(appId)
                    .setRegId(clientId)
                    .setToken(new String(password, StandardCharsets.UTF_8)))
            // Keep-alive 0 ("none") becomes 0, the server's default interval: the server still wants heartbeats.
            .setHeartbeatIntervalMs((int) Math.min(Integer.MAX_VALUE, header.keepAliveTimeSeconds() * 1000L))
            .setClientVersion("mqtt-3.1.1")
            .build();
    forward(ctx, Frame.v3(Signal.CONNECT, 0, 0, connect));
  }

  private void pubAck(ChannelHandlerContext ctx, MqttPubAckMessage packet) {
    int packetId = packet.variableHeader().messageId();
    String msgId = connection.acknowledge(packetId);
    if (msgId == null) {
      // A late ack of a push this connection already forgot; the session redelivers it under a new id.
      log.debug("MQTT {}: PUBACK of unknown packet id {}", ctx.channel().remoteAddress(), packetId);
      return;
    }
    forward(
        ctx, Frame.v3(Signal.PUB_ACK, 0, 0, Ack.newBuilder().addMsgIds(msgId).setRegId(connection.regId()).build()));
  }

  private void publish(ChannelHandlerContext ctx, MqttPublishMessage packet) {
    MqttQoS qos = packet.fixedHeader().qosLevel();
    String topic = packet.variableHeader().topicName();
    if (qos == MqttQoS.EXACTLY_ONCE) {
      close(ctx, ProtocolError.UNEXPECTED_FRAME, "PUBLISH with QoS 2 is not supported, use QoS 0 or 1");
      return;
    }
    if (MqttTopics.hasWildcard(topic)) {
      close(ctx, ProtocolError.MALFORMED_BODY, "PUBLISH topic " + topic + " has a wildcard");
      return;
    }
    if (!MqttTopics.ownedBy(topic, connection.regId())) {
      close(ctx, ProtocolError.UNEXPECTED_FRAME, "PUBLISH to " + topic + ", outside " + connection.deviceTopic());
      return;
    }
    MqttJson.Upstream upstream;
    try {
      upstream = MqttJson.upstream(ByteBufUtil.getBytes(packet.payload()));
    } catch (MqttJson.InvalidUpstream e) {
      close(ctx, ProtocolError.MALFORMED_BODY, "PUBLISH to " + topic + ": " + e.getMessage());
      return;
    }
    if (upstream instanceof MqttJson.UpstreamLogout logout
        && !(matches(logout.appId(), connection.appId()) && matches(logout.regId(), connection.regId()))) {
      close(ctx, ProtocolError.UNEXPECTED_FRAME, "logout of another device");
      return;
    }
    if (qos == MqttQoS.AT_LEAST_ONCE) {
      reply(ctx, MqttReplies.pubAck(packet.variableHeader().packetId()));
    }
    if (upstream instanceof MqttJson.UpstreamAck ack) {
      connection.acknowledged(ack.msgId());
      forward(
          ctx,
          Frame.v3(
              Signal.PUB_ACK, 0, 0, Ack.newBuilder().addMsgIds(ack.msgId()).setRegId(connection.regId()).build()));
    } else {
      Disconnect disconnect =
          Disconnect.newBuilder()
              .setReasonCode(DisconnectReason.NORMAL.code())
              .setReason("logout")
              .setClearSession(true)
              .build();
      forward(ctx, Frame.v3(Signal.DISCONNECT, DisconnectReason.NORMAL.code(), 0, disconnect));
    }
  }

  /** A logout names its device; absent fields mean this connection's. */
  private static boolean matches(String stated, String own) {
    return stated == null || stated.isEmpty() || stated.equals(own);
  }

  private void subscribe(ChannelHandlerContext ctx, MqttSubscribeMessage packet) {
    if (!controlPacketAllowed(ctx)) {
      return;
    }
    List<Integer> granted = new ArrayList<>();
    for (MqttTopicSubscription subscription : packet.payload().topicSubscriptions()) {
      // Pushes are published at QoS 1 whether or not the client subscribes: the grant only states it.
      granted.add(
          subscription.topicName().equals(connection.deviceTopic())
              ? MqttQoS.AT_LEAST_ONCE.value()
              : SUBSCRIPTION_REFUSED);
    }
    reply(
        ctx,
        new MqttSubAckMessage(
            MqttReplies.header(MqttMessageType.SUBACK),
            MqttMessageIdVariableHeader.from(packet.variableHeader().messageId()),
            new MqttSubAckPayload(granted)));
  }

  private void unsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage packet) {
    if (!controlPacketAllowed(ctx)) {
      return;
    }
    reply(
        ctx,
        new MqttUnsubAckMessage(
            MqttReplies.header(MqttMessageType.UNSUBACK),
            MqttMessageIdVariableHeader.from(packet.variableHeader().messageId())));
  }

  private boolean controlPacketAllowed(ChannelHandlerContext ctx) {
    if (controlPackets.tryConsume(1)) {
      return true;
    }
    metrics.rateLimitedConnection();
    close(ctx, null, "more SUBSCRIBE/UNSUBSCRIBE than the connection's frame rate allows");
    return false;
  }

  private void forwardPing(ChannelHandlerContext ctx, boolean clientAsked) {
    connection.pingForwarded(clientAsked, nanoTime.getAsLong());
    forward(ctx, Frame.v3(Signal.PING, 0, 0, Ping.getDefaultInstance()));
  }

  private void forward(ChannelHandlerContext ctx, Frame frame) {
    metrics.frameIn(frame.signal());
    ctx.fireChannelRead(frame);
  }

  /** Replies the session does not make; held until CONNACK when the client sends before it. */
  private void reply(ChannelHandlerContext ctx, MqttMessage reply) {
    if (connection.accepted()) {
      ctx.writeAndFlush(reply);
    } else if (!connection.holdReply(reply, MAX_HELD_REPLIES)) {
      close(ctx, ProtocolError.UNEXPECTED_FRAME, "more than " + MAX_HELD_REPLIES + " packets before CONNACK");
    }
  }

  private void malformed(ChannelHandlerContext ctx, Throwable cause) {
    if (!connection.connectReceived() && cause instanceof MqttUnacceptableProtocolVersionException) {
      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, cause.getMessage());
    } else if (!connection.connectReceived() && cause instanceof MqttIdentifierRejectedException) {
      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, cause.getMessage());
    } else if (cause instanceof TooLongFrameException) {
      close(ctx, ProtocolError.FRAME_TOO_LARGE, "packet too large: " + cause.getMessage());
    } else {
      close(ctx, ProtocolError.MALFORMED_BODY, "malformed packet: " + cause.getMessage());
    }
  }

  /** CONNACK with a refusal, then close (MQTT 3.1.1, 3.2.2.3). */
  private void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code, String reason) {
    closing = true;
    log.info("refusing MQTT {}: {} ({})", ctx.channel().remoteAddress(), code, reason);
    ctx.channel().config().setAutoRead(false);
    // Answered in 3.1.1's format whatever version the client asked for, as MQTT 5 allows for an unknown version.
    ctx.channel().attr(CODEC_VERSION).set(MqttVersion.MQTT_3_1_1);
    MqttConnAckMessage connAck =
        new MqttConnAckMessage(
            MqttReplies.header(MqttMessageType.CONNACK), new MqttConnAckVariableHeader(code, false));
    ctx.writeAndFlush(connAck).addListener(ChannelFutureListener.CLOSE);
  }

  private void close(ChannelHandlerContext ctx, ProtocolError error, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    if (error != null) {
      metrics.protocolError(error);
    }
    // INFO, as on TCP: misbehaving clients are routine.
    log.info("closing MQTT {}: {}", ctx.channel().remoteAddress(), reason);
    ctx.channel().config().setAutoRead(false);
    ctx.close();
  }
}
