package io.universepush.api.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.api.system.ApiException;
import io.universepush.api.system.ApiProperties;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class PushRequestValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PushRequestValidator validator =
      new PushRequestValidator(
          new ApiProperties(
              0,
              "127.0.0.1",
              65536,
              new ApiProperties.Push(4096, 86400, 864000, 1000, 500, 2, 1000, 0),
              new ApiProperties.Legacy(true)),
          JSON);

  @Test
  void messageIsDeliveredAsItsJsonText() {
    ValidPush push = validator.validate(request("{\"reg_ids\":[\"a\",\"b\",\"a\"]}", "{\"k\":[1,\"é\"]}", "hi", null));

    assertThat(new String(push.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"k\":[1,\"é\"]}");
    assertThat(push.regIds()).containsExactly("a", "b");
    assertThat(push.alert()).isEqualTo("hi");
    assertThat(push.ttlSeconds()).isEqualTo(86400);
  }

  @Test
  void aStringMessageIsJsonTooButWithoutMessageTheAlertIsPlainText() {
    assertThat(validator.validate(request("{\"reg_ids\":[\"a\"]}", "\"hello\"", null, null)).payload())
        .isEqualTo("\"hello\"".getBytes(StandardCharsets.UTF_8));
    assertThat(validator.validate(request("{\"reg_ids\":[\"a\"]}", null, "hello", 0L)).payload())
        .isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void limitsAreInclusive() {
    String regIds = IntStream.range(0, 1000).mapToObj(i -> "\"r" + i + "\"").collect(Collectors.joining(","));
    ValidPush push =
        validator.validate(
            new PushRequest(
                json("{\"reg_ids\":[" + regIds + "]}"),
                "😀".repeat(256),
                "t".repeat(256),
                json("\"" + "x".repeat(4094) + "\""),
                Map.of("k".repeat(64), "v".repeat(1024)),
                864000L));

    assertThat(push.regIds()).hasSize(1000);
    assertThat(push.payload()).hasSize(4096);
    assertThat(push.ttlSeconds()).isEqualTo(864000);
  }

  @Test
  void eachBadFieldIsNamed() {
    assertField(new PushRequest(null, "x", null, null, null, null), "audience");
    assertField(request("\"all\"", null, "x", null), "audience");
    assertField(request("{\"segment\":[\"a\"]}", null, "x", null), "audience.segment");
    assertField(request("{\"all\":true}", null, "x", null), "audience.all");
    assertField(request("{\"aliases\":[]}", null, "x", null), "audience.aliases");
    assertField(request("{\"aliases\":[\"" + "a".repeat(65) + "\"]}", null, "x", null), "audience.aliases[0]");
    assertField(request("{\"reg_ids\":[\" \"]}", null, "x", null), "audience.reg_ids[0]");
    assertField(request("{\"reg_ids\":[\"a\"]}", null, "x", 864001L), "ttl");
    assertField(request("{\"reg_ids\":[\"a\"]}", null, "x", -5L), "ttl");
    assertField(request("{\"reg_ids\":[\"a\"]}", null, "😀".repeat(257), null), "alert");
    assertField(request("{\"reg_ids\":[\"a\"]}", null, "", null), "message");
    assertField(
        new PushRequest(json("{\"reg_ids\":[\"a\"]}"), "x", null, null, Map.of("k", "v".repeat(1025)), null),
        "extras.k");
    Map<String, String> extras = new HashMap<>();
    IntStream.range(0, 65).forEach(i -> extras.put("k" + i, "v"));
    assertField(new PushRequest(json("{\"reg_ids\":[\"a\"]}"), "x", null, null, extras, null), "extras");
  }

  @Test
  void payloadOverTheLimitIs413() {
    assertThatThrownBy(
            () -> validator.validate(request("{\"reg_ids\":[\"a\"]}", "\"" + "x".repeat(4095) + "\"", null, null)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE);
              assertThat(e.code()).isEqualTo("payload_too_large");
              assertThat(e.getMessage()).contains("4097").contains("4096");
            });
  }

  private void assertField(PushRequest request, String field) {
    assertThatThrownBy(() -> validator.validate(request))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
              assertThat(e.getMessage()).startsWith(field + ": ");
            });
  }

  private static PushRequest request(String audience, String message, String alert, Long ttl) {
    return new PushRequest(json(audience), alert, null, message == null ? null : json(message), null, ttl);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
