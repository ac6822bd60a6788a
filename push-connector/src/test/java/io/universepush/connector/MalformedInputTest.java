package io.universepush.connector;

import static io.universepush.connector.TestClient.binding;
import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.store.device.DeviceRegistration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken byte streams close the connection that sent them, after a DISCONNECT saying why, while a healthy connection
 * on the same node keeps working.
 */
@ExtendWith(ConnectorCluster.Extension.class)
class MalformedInputTest {
  private static ConnectorCluster cluster;
  private static TestClient healthy;
  private static int pingId;

  @BeforeAll
  static void connectAHealthyClient(ConnectorCluster shared) throws Exception {
    cluster = shared;
    String appId = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(appId);
    healthy = new TestClient(cluster.tcpPort());
    healthy.connectAccepted(binding(appId, device.device().regId(), device.token()));
  }

  @AfterAll
  static void closeHealthyClient() throws Exception {
    if (healthy != null) {
      healthy.close();
    }
  }

  static Stream<Arguments> malformedStreams() {
    return Stream.of(
        Arguments.of("bad magic", bytes(0x00, 3, 6, 0, 0, 0, 0, 0, 0, 1), ProtocolError.BAD_MAGIC),
        Arguments.of("unknown version", bytes(0xF8, 9, 6, 0, 0, 0, 0, 0, 0, 1), ProtocolError.UNKNOWN_VERSION),
        Arguments.of("unknown signal", bytes(0xF8, 3, 0x33, 0, 0, 0, 0, 0, 0, 1), ProtocolError.UNKNOWN_SIGNAL),
        Arguments.of(
            "oversize length", bytes(0xF8, 3, 6, 0x00, 0x10, 0x00, 0x01, 0, 0, 1), ProtocolError.FRAME_TOO_LARGE),
        Arguments.of(
            "negative length", bytes(0xF8, 3, 6, 0x80, 0x00, 0x00, 0x00, 0, 0, 1), ProtocolError.NEGATIVE_LENGTH),
        Arguments.of("garbage CONNECT body", bytes(0xF8, 3, 6, 0, 0, 0, 2, 0, 0, 1, 0xFF, 0xFF),
            ProtocolError.MALFORMED_BODY),
        Arguments.of("PING before CONNECT", bytes(0xF8, 3, 3, 0, 0, 0, 0, 0, 0, 1), ProtocolError.UNEXPECTED_FRAME));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedStreams")
  void closesOnlyTheOffendingConnectionWithAReason(String name, byte[] input, ProtocolError expected)
      throws Exception {
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.sendRaw(input);

      Frame frame = client.read();
      assertThat(frame.signal()).isEqualTo(Signal.DISCONNECT);
      assertThat(frame.version()).isEqualTo(ProtocolVersion.V3);
      assertThat(frame.subSignal()).isEqualTo(DisconnectReason.PROTOCOL_ERROR.code());
      Disconnect disconnect = Disconnect.parseFrom(frame.body());
      assertThat(disconnect.getReasonCode()).isEqualTo(DisconnectReason.PROTOCOL_ERROR.code());
      assertThat(disconnect.getReason()).startsWith(expected.name());
      assertThat(client.awaitClosed()).isTrue();
    }
    assertHealthyClientStillServed();
  }

  @Test
  void legacyClientsAreToldInTheirOwnVersionAsText() throws Exception {
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      client.sendRaw(bytes(0xF8, 2, 0x33, 0, 0, 0, 0, 0, 0, 1));

      Frame frame = client.read();
      assertThat(frame.version()).isEqualTo(ProtocolVersion.V2);
      assertThat(frame.signal()).isEqualTo(Signal.DISCONNECT);
      assertThat(frame.bodyAsText()).startsWith("UNKNOWN_SIGNAL");
      assertThat(client.awaitClosed()).isTrue();
    }
    assertHealthyClientStillServed();
  }

  @Test
  void aConnectionThatNeverAuthenticatesIsClosedAfterTheAuthTimeout() throws Exception {
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      assertThat(client.awaitClosed()).isTrue();
    }
  }

  private static void assertHealthyClientStillServed() throws Exception {
    int id = ++pingId;
    healthy.ping(id, 30_000);
    Frame pong = healthy.readUntil(Signal.PING);
    assertThat(pong.messageId()).isEqualTo(id);
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }
}
