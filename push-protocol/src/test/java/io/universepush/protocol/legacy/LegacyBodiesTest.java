package io.universepush.protocol.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.universepush.protocol.Frame;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.ProtocolException;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LegacyBodiesTest {

  @Test
  void subRequestAndResponseRoundTrip() throws Exception {
    Frame request = LegacyBodies.subRequest(ProtocolVersion.V2, 3, "device \"1\"");
    assertThat(request.bodyAsText()).isEqualTo("{\"uid\":\"device \\\"1\\\"\"}");
    assertThat(LegacyBodies.parseSubUid(request)).isEqualTo("device \"1\"");

    Frame response = LegacyBodies.subResponse(ProtocolVersion.V2, 3, 200, "tok");
    assertThat(response.bodyAsText()).isEqualTo("{\"status\":200,\"token\":\"tok\"}");
    LegacyBodies.SubResponse parsed = LegacyBodies.parseSubResponse(response);
    assertThat(parsed.status()).isEqualTo(200);
    assertThat(parsed.token()).isEqualTo("tok");
  }

  @Test
  void emptyUidIsAllowed() throws Exception {
    assertThat(LegacyBodies.parseSubUid(Frame.text(ProtocolVersion.V2, Signal.SUB, 0, 1, ""))).isEmpty();
    assertThat(LegacyBodies.parseSubUid(Frame.text(ProtocolVersion.V2, Signal.SUB, 0, 1, "{}"))).isEmpty();
  }

  @Test
  void malformedSubBodyIsATypedError() {
    assertThatThrownBy(() -> LegacyBodies.parseSubUid(Frame.text(ProtocolVersion.V2, Signal.SUB, 0, 1, "{uid")))
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).error()).isEqualTo(ProtocolError.MALFORMED_BODY));
  }

  @Test
  void pingIntervalIsReadAndBadBodiesKeepTheDefault() {
    assertThat(LegacyBodies.parsePingInterval(LegacyBodies.pingRequest(ProtocolVersion.V2, 9, 45_000)))
        .isEqualTo(45_000);
    assertThat(LegacyBodies.parsePingInterval(Frame.text(ProtocolVersion.V2, Signal.PING, 0, 9, "")))
        .isEqualTo(-1);
    assertThat(LegacyBodies.parsePingInterval(Frame.text(ProtocolVersion.V2, Signal.PING, 0, 9, "{\"interval\":\"x\"}")))
        .isEqualTo(-1);
    Frame answer = LegacyBodies.pingResponse(LegacyBodies.pingRequest(ProtocolVersion.V2, 9, 45_000), 45_000);
    assertThat(answer.messageId()).isEqualTo(9);
    assertThat(answer.bodyAsText()).isEqualTo("ping back next interval 45000");
  }

  @Test
  void contactBodiesParse() throws Exception {
    Frame frame =
        Frame.text(
            ProtocolVersion.V2,
            Signal.CONTACT,
            0,
            1,
            "{\"from\":\"a\",\"to\":\"b\",\"group\":\"g\",\"type\":1,\"messageType\":\"text\",\"message\":\"hi\"}");
    LegacyBodies.ContactMessage contact = LegacyBodies.parseContact(frame);
    assertThat(contact.type()).isEqualTo(LegacyBodies.ContactMessage.TYPE_SINGLE);
    assertThat(contact.to()).isEqualTo("b");
    assertThat(contact.message()).isEqualTo("hi");
    assertThatThrownBy(
            () -> LegacyBodies.parseContact(Frame.text(ProtocolVersion.V2, Signal.CONTACT, 0, 1, "{\"type\":7}")))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void jsonParsesNestedValuesAndRejectsGarbage() {
    Map<String, Object> map = LegacyJson.parseObject("{\"a\":[1,2.5,\"x\",null,true],\"b\":{\"c\":\"\\u00e9\\n\"}}");
    assertThat(map.get("a")).isEqualTo(Arrays.asList(1L, 2.5, "x", null, true));
    assertThat(((Map<?, ?>) map.get("b")).get("c")).isEqualTo("é\n");
    assertThat(LegacyJson.write(map)).isEqualTo("{\"a\":[1,2.5,\"x\",null,true],\"b\":{\"c\":\"é\\n\"}}");
    assertThatThrownBy(() -> LegacyJson.parseObject("{\"a\":1} x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LegacyJson.parseObject("[1]")).isInstanceOf(IllegalArgumentException.class);
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      deep.append("{\"a\":");
    }
    assertThatThrownBy(() -> LegacyJson.parseObject(deep.toString())).isInstanceOf(IllegalArgumentException.class);
  }
}
