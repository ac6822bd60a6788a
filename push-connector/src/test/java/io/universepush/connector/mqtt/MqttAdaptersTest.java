package io.universepush.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.universepush.connector.limits.ConnectorLimits;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Pong;
import io.universepush.protocol.proto.Push;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The two adapters at the frame boundary, without sockets: MQTT packets in, the v3 frames the device pipeline reads
 * out, and the session's frames back as packets, with a manual clock.
 */
class MqttAdaptersTest {
  private static final String APP = "app-1";
  private static final String REG = "reg-1";

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final MqttConnection connection = new MqttConnection(8);
  private final ConnectorMetrics metrics = new ConnectorMetrics(new SimpleMeterRegistry());
  private final EmbeddedChannel channel =
      new EmbeddedChannel(
          new MqttInboundAdapter(
              connection, 64, new ConnectorLimits(50, 200, 2000, 5000, 2000), metrics, nanos::get),
          new MqttOutboundAdapter(connection, metrics, nanos::get));

  @Test
  void connectBecomesAV3ConnectWithOneBindingAndTheKeepAliveAsHeartbeat() throws Exception {
    channel.writeInbound(connect(30));
    Frame frame = channel.readInbound();
    assertThat(frame.signal()).isEqualTo(Signal.CONNECT);
    Connect connect = Connect.parseFrom(FrameEncoder.bodyOf(frame));
    assertThat(connect.getBindingsList())
        .singleElement()
        .satisfies(binding -> {
          assertThat(binding.getAppId()).isEqualTo(APP);
          assertThat(binding.getRegId()).isEqualTo(REG);
          assertThat(binding.getToken()).isEqualTo("token");
        });
    assertThat(connect.getHeartbeatIntervalMs()).isEqualTo(30_000);
  }

  @Test
  void keepAliveZeroAsksForTheServersDefault() throws Exception {
    channel.writeInbound(connect(0));
    Frame frame = channel.readInbound();
    assertThat(Connect.parseFrom(FrameEncoder.bodyOf(frame)).getHeartbeatIntervalMs()).isZero();
  }

  @Test
  void connectAckResultsBecomeConnackReturnCodes() {
    assertThat(MqttOutboundAdapter.returnCode(ConnectResult.ACCEPTED))
        .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    assertThat(MqttOutboundAdapter.returnCode(ConnectResult.SERVER_UNAVAILABLE))
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
    assertThat(MqttOutboundAdapter.returnCode(ConnectResult.BAD_CREDENTIALS))
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
    assertThat(MqttOutboundAdapter.returnCode(ConnectResult.NOT_AUTHORIZED))
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    assertThat(MqttOutboundAdapter.returnCode(ConnectResult.IDENTIFIER_REJECTED))
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
  }

  @Test
  void repliesToPacketsSentBeforeConnackFollowIt() {
    channel.writeInbound(connect(60));
    channel.readInbound();
    channel.writeInbound(
        MqttMessageBuilders.subscribe().messageId(3).addSubscription(MqttQoS.AT_LEAST_ONCE, "push/" + REG).build());
    assertThat((Object) channel.readOutbound()).as("nothing before CONNACK").isNull();

    accept(60_000);
    MqttConnAckMessage connAck = channel.readOutbound();
    assertThat(connAck.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    assertThat(connAck.variableHeader().isSessionPresent()).isFalse();
    MqttSubAckMessage subAck = channel.readOutbound();
    assertThat(subAck.variableHeader().messageId()).isEqualTo(3);
    assertThat(subAck.payload().grantedQoSLevels()).containsExactly(1);
  }

  @Test
  void pushesArePublishedWithTheirOwnPacketIdsAndARedeliveryKeepsItsIdWithDup() throws Exception {
    connected(60_000);
    MqttPublishMessage first = push("m1", 1);
    MqttPublishMessage second = push("m2", 1);
    assertThat(first.variableHeader().packetId()).isEqualTo(1);
    assertThat(second.variableHeader().packetId()).isEqualTo(2);
    assertThat(first.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
    assertThat(first.fixedHeader().isDup()).isFalse();
    assertThat(first.variableHeader().topicName()).isEqualTo("push/" + REG);
    var json = JsonParser.parseString(first.payload().toString(StandardCharsets.UTF_8)).getAsJsonObject();
    assertThat(json.get("msg_id").getAsString()).isEqualTo("m1");
    assertThat(json.getAsJsonObject("message").get("n").getAsInt()).isEqualTo(1);
    first.release();
    second.release();

    MqttPublishMessage again = push("m1", 2);
    assertThat(again.variableHeader().packetId()).isEqualTo(1);
    assertThat(again.fixedHeader().isDup()).isTrue();
    again.release();

    channel.writeInbound(MqttReplies.pubAck(1));
    Frame ack = channel.readInbound();
    assertThat(ack.signal()).isEqualTo(Signal.PUB_ACK);
    assertThat(Ack.parseFrom(FrameEncoder.bodyOf(ack)).getMsgIdsList()).containsExactly("m1");
    MqttPublishMessage third = push("m3", 1);
    assertThat(third.variableHeader().packetId()).as("next after the last allocated").isEqualTo(3);
    third.release();
  }

  @Test
  void pingreqIsAV3PingAndItsPongAPingresp() {
    connected(60_000);
    channel.writeInbound(new MqttMessage(header(MqttMessageType.PINGREQ)));
    Frame ping = channel.readInbound();
    assertThat(ping.signal()).isEqualTo(Signal.PING);
    channel.writeOutbound(pong());
    MqttMessage answer = channel.readOutbound();
    assertThat(answer.fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
  }

  @Test
  void aBusyClientsPacketsStandInForItsHeartbeatsAndTheirPongsAreNotSentToIt() {
    connected(10_000);
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(6));
    channel.writeInbound(MqttReplies.pubAck(99));
    Frame ping = channel.readInbound();
    assertThat(ping.signal()).isEqualTo(Signal.PING);
    channel.writeOutbound(pong());
    assertThat((Object) channel.readOutbound()).isNull();

    channel.writeInbound(MqttReplies.pubAck(98));
    assertThat((Object) channel.readInbound()).as("not due again yet").isNull();
  }

  @Test
  void aServerDisconnectClosesTheConnection() {
    connected(60_000);
    channel.writeOutbound(
        Frame.v3(
            Signal.DISCONNECT,
            DisconnectReason.SESSION_TAKEN_OVER.code(),
            0,
            Disconnect.newBuilder().setReasonCode(DisconnectReason.SESSION_TAKEN_OVER.code()).build()));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void packetIdsWrapAt65535AndSkipIdsInFlight() {
    MqttConnection ids = new MqttConnection(MqttConnection.MAX_PACKET_ID);
    for (int i = 1; i <= MqttConnection.MAX_PACKET_ID; i++) {
      assertThat(ids.packetIdFor("m" + i)).isEqualTo(i);
    }
    assertThat(ids.acknowledge(5)).isEqualTo("m5");
    assertThat(ids.acknowledge(2)).isEqualTo("m2");
    assertThat(ids.packetIdFor("next")).isEqualTo(2);
    assertThat(ids.packetIdFor("after")).isEqualTo(5);
  }

  @Test
  void theOldestPacketIdIsForgottenBeyondTheLimit() {
    MqttConnection ids = new MqttConnection(2);
    ids.packetIdFor("a");
    ids.packetIdFor("b");
    ids.packetIdFor("c");
    assertThat(ids.inFlightCount()).isEqualTo(2);
    assertThat(ids.acknowledge(1)).as("a was forgotten").isNull();
    assertThat(ids.acknowledge(3)).isEqualTo("c");
  }

  private void connected(long heartbeatMs) {
    channel.writeInbound(connect(60));
    channel.readInbound();
    accept(heartbeatMs);
    MqttConnAckMessage connAck = channel.readOutbound();
    assertThat(connAck).isNotNull();
  }

  private void accept(long heartbeatMs) {
    channel.writeOutbound(
        Frame.v3(
            Signal.CONNECT_ACK,
            ConnectResult.ACCEPTED.code(),
            0,
            ConnectAck.newBuilder()
                .setResult(ConnectResult.ACCEPTED.code())
                .setHeartbeatIntervalMs((int) heartbeatMs)
                .build()));
  }

  private MqttPublishMessage push(String msgId, int attempt) {
    channel.writeOutbound(
        Frame.v3(
            Signal.PUSH,
            0,
            0,
            Push.newBuilder()
                .setMsgId(msgId)
                .setAppId(APP)
                .setRegId(REG)
                .setPayload(ByteString.copyFromUtf8("{\"n\":1}"))
                .setAttempt(attempt)
                .build()));
    return channel.readOutbound();
  }

  private static Frame pong() {
    return Frame.v3(Signal.PING, 1, 0, Pong.newBuilder().setIntervalMs(60_000).build());
  }

  private static MqttMessage connect(int keepAliveSeconds) {
    return MqttMessageBuilders.connect()
        .protocolVersion(MqttVersion.MQTT_3_1_1)
        .clientId(REG)
        .hasUser(true)
        .username(APP)
        .hasPassword(true)
        .password("token".getBytes(StandardCharsets.UTF_8))
        .keepAlive(keepAliveSeconds)
        .build();
  }

  private static MqttFixedHeader header(MqttMessageType type) {
    return new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0);
  }
}
