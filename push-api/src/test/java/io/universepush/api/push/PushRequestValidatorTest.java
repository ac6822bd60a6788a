package io.universepush.api.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.api.system.ApiException;
import io.universepush.api.system.ApiProperties;
import io.universepush.rpc.connector.AndroidOptions;
import io.universepush.rpc.connector.IosOptions;
import java.nio.charset.StandardCharsets;
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
              new ApiProperties.Push(4096, 86400, 604800, 1000, 1000, 100, 100000, 500, 2, 1000, 0, 2000),
              new ApiProperties.Legacy(true)),
          JSON);

  @Test
  void messageIsDeliveredAsItsJsonText() {
    ValidPush push = validate("{'audience':{'reg_ids':['a','b','a']},'message':{'k':[1,'é']},'alert':'hi'}");

    assertThat(new String(push.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"k\":[1,\"é\"]}");
    assertThat(push.regIds()).containsExactly("a", "b");
    assertThat(push.alert()).isEqualTo("hi");
    assertThat(push.ttlSeconds()).isEqualTo(86400);
    assertThat(push.platforms()).isEmpty();
    assertThat(push.hasFanout()).isFalse();
    assertThat(push.ios()).isNull();
    assertThat(push.android()).isNull();
  }

  @Test
  void aStringMessageIsJsonTooButWithoutMessageTheAlertIsPlainText() {
    assertThat(validate("{'audience':{'reg_ids':['a']},'message':'hello'}").payload())
        .isEqualTo("\"hello\"".getBytes(StandardCharsets.UTF_8));
    assertThat(validate("{'audience':{'reg_ids':['a']},'alert':'hello','ttl':0}").payload())
        .isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyAudienceKindAndTheirCombinationsAreAccepted() {
    assertThat(validate("{'audience':'all','alert':'x'}").all()).isTrue();
    assertThat(validate("{'audience':{'all':true},'alert':'x'}").all()).isTrue();
    ValidPush tags = validate("{'audience':{'tags':['news','sport','news']},'alert':'x'}");
    assertThat(tags.tags()).containsExactly("news", "sport");
    assertThat(tags.hasFanout()).isTrue();
    assertThat(tags.hasUnicast()).isFalse();
    ValidPush combined =
        validate("{'audience':{'reg_ids':['r'],'aliases':['al'],'tags':['t'],'all':false},'alert':'x'}");
    assertThat(combined.regIds()).containsExactly("r");
    assertThat(combined.aliases()).containsExactly("al");
    assertThat(combined.tags()).containsExactly("t");
    assertThat(combined.all()).isFalse();
    // "all" covers every tag: the tags are dropped rather than sent twice.
    assertThat(validate("{'audience':{'all':true,'tags':['t']},'alert':'x'}").tags()).isEmpty();
  }

  @Test
  void platformIsAllOneOrAList() {
    assertThat(validate("{'audience':'all','alert':'x','platform':'all'}").platforms()).isEmpty();
    assertThat(validate("{'audience':'all','alert':'x','platform':'ios'}").platforms()).containsExactly("ios");
    assertThat(validate("{'audience':'all','alert':'x','platform':['android','web']}").platforms())
        .containsExactlyInAnyOrder("android", "web");
  }

  @Test
  void iosAndAndroidOptionsAreCarried() {
    ValidPush push =
        validate(
            "{'audience':'all','alert':'x','ios':{'sound':'ding','badge':3,'production':true,'extras':{'a':'b'}},"
                + "'android':{'extras':{'c':'d'}}}");

    assertThat(push.ios()).isEqualTo(new IosOptions("ding", 3, true, Map.of("a", "b")));
    assertThat(push.android()).isEqualTo(new AndroidOptions(Map.of("c", "d")));
    assertThat(validate("{'audience':'all','alert':'x','ios':{}}").ios())
        .isEqualTo(new IosOptions(null, null, false, Map.of()));
  }

  @Test
  void limitsAreInclusive() {
    String regIds = IntStream.range(0, 1000).mapToObj(i -> "'r" + i + "'").collect(Collectors.joining(","));
    String tags = IntStream.range(0, 100).mapToObj(i -> "'t" + i + "'").collect(Collectors.joining(","));
    ValidPush push =
        validate(
            "{'audience':{'reg_ids':[" + regIds + "],'aliases':[" + regIds + "],'tags':[" + tags + "]},"
                + "'alert':'" + "😀".repeat(256) + "','ttl':604800}");
    assertThat(push.regIds()).hasSize(1000);
    assertThat(push.aliases()).hasSize(1000);
    assertThat(push.tags()).hasSize(100);
    assertThat(push.ttlSeconds()).isEqualTo(604800);

    // 4094 characters + 2 quotes: exactly the limit.
    assertThat(validate("{'audience':'all','message':'" + "x".repeat(4094) + "'}").payload()).hasSize(4096);
  }

  @Test
  void eachBadFieldIsNamed() {
    assertField("{'alert':'x'}", "audience");
    assertField("{'audience':'everyone','alert':'x'}", "audience");
    assertField("{'audience':{},'alert':'x'}", "audience");
    assertField("{'audience':{'segment':['a']},'alert':'x'}", "audience.segment");
    assertField("{'audience':{'all':1},'alert':'x'}", "audience.all");
    assertField("{'audience':{'aliases':[]},'alert':'x'}", "audience.aliases");
    assertField("{'audience':{'aliases':['" + "a".repeat(65) + "']},'alert':'x'}", "audience.aliases[0]");
    assertField("{'audience':{'reg_ids':[' ']},'alert':'x'}", "audience.reg_ids[0]");
    assertField("{'audience':{'tags':['ok',{}]},'alert':'x'}", "audience.tags[1]");
    assertField("{'audience':'all','alert':'x','ttl':604801}", "ttl");
    assertField("{'audience':'all','alert':'x','ttl':-5}", "ttl");
    assertField("{'audience':'all','alert':'x','ttl':'60'}", "ttl");
    assertField("{'audience':'all','alert':'" + "😀".repeat(257) + "'}", "alert");
    assertField("{'audience':'all','alert':''}", "message");
    assertField("{'audience':'all','alert':'x','platform':'symbian'}", "platform");
    assertField("{'audience':'all','alert':'x','platform':{}}", "platform");
    assertField("{'audience':'all','alert':'x','extras':{'k':'" + "v".repeat(1025) + "'}}", "extras.k");
    assertField("{'audience':'all','alert':'x','extras':{'k':null}}", "extras.k");
    String tooMany = IntStream.range(0, 65).mapToObj(i -> "'k" + i + "':'v'").collect(Collectors.joining(","));
    assertField("{'audience':'all','alert':'x','extras':{" + tooMany + "}}", "extras");
    assertField("{'audience':'all','alert':'x','ios':{'badge':1.5}}", "ios.badge");
    assertField("{'audience':'all','alert':'x','ios':{'sound':'" + "s".repeat(257) + "'}}", "ios.sound");
    assertField("{'audience':'all','alert':'x','android':[]}", "android");
    assertField("{'audience':'all','alert':'x','android':{'extras':{'k':2}}}", "android.extras.k");
    assertField("{'audience':'all','alert':'x','badge':1}", "badge");
  }

  @Test
  void aBodyThatIsNoObjectIsBadJson() {
    assertThatThrownBy(() -> validator.validate(json("[1]")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_json"));
    assertThatThrownBy(() -> validator.validate(null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_json"));
  }

  @Test
  void payloadOverTheLimitIs413() {
    assertPayloadTooLarge("{'audience':'all','message':'" + "x".repeat(4095) + "'}", 4097);
    // Everything a device receives counts: message (2 + 4000) + alert (90) + title (5) = 4097.
    assertPayloadTooLarge(
        "{'audience':'all','message':'" + "x".repeat(4000) + "','alert':'" + "a".repeat(90) + "','title':'ttttt'}",
        4097);
    // extras keys and values count too: 4090 + 3 + 4 = 4097.
    assertPayloadTooLarge("{'audience':'all','message':'" + "x".repeat(4088) + "','extras':{'key':'vvvv'}}", 4097);
    // and so do the options, as JSON.
    assertThatThrownBy(
            () ->
                validate(
                    "{'audience':'all','message':'" + "x".repeat(4094) + "','android':{'extras':{}}}"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE));
  }

  private void assertPayloadTooLarge(String body, int size) {
    assertThatThrownBy(() -> validate(body))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE);
              assertThat(e.code()).isEqualTo("payload_too_large");
              assertThat(e.getMessage()).contains(Integer.toString(size)).contains("4096");
            });
  }

  private void assertField(String body, String field) {
    assertThatThrownBy(() -> validate(body))
        .as(body)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
              assertThat(e.getMessage()).startsWith(field + ": ");
            });
  }

  private ValidPush validate(String singleQuoted) {
    return validator.validate(json(singleQuoted));
  }

  private static JsonNode json(String singleQuoted) {
    try {
      return JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }
}
