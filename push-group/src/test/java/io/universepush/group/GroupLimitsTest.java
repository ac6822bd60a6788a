package io.universepush.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.group.support.GroupTestCluster;
import io.universepush.group.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The configurable limits, set low, and what the API answers past them; plus universe_push's endpoints. */
class GroupLimitsTest {
  private static GroupTestCluster cluster;
  private static Http http;
  private static String url;

  @BeforeAll
  static void start() {
    cluster =
        GroupTestCluster.start(
            "--universe.push.group.max-members=3",
            "--universe.push.group.max-groups-per-app=2",
            "--universe.push.group.max-message-bytes=64",
            "--universe.push.group.history-max-length=1000",
            "--universe.push.group.limits.send-burst=3",
            "--universe.push.group.limits.sends-per-second=1");
    http = cluster.http;
    url = cluster.url;
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void groupSizeGroupsPerAppMessageSizeAndSendRate() {
    String[] app = cluster.createApp("limits");
    String a = cluster.registerDevice(app, null);
    String b = cluster.registerDevice(app, null);
    String c = cluster.registerDevice(app, null);
    String d = cluster.registerDevice(app, null);

    Http.Answer tooBig = http.post(url + "/v1/groups", Map.of("members", List.of(a, b, c, d)), app);
    assertThat(tooBig.status()).isEqualTo(400);
    assertThat(tooBig.message()).startsWith("members:").contains("limit is 3");

    String groupId = http.post(url + "/v1/groups", Map.of("members", List.of(a, b, c)), app).json().get("group_id").asText();
    Http.Answer overfull = http.post(url + "/v1/groups/" + groupId + "/members", Map.of("members", List.of(d)), app);
    assertThat(overfull.status()).isEqualTo(400);
    assertThat(overfull.message()).startsWith("members:");

    assertThat(http.post(url + "/v1/groups", Map.of("members", List.of(a)), app).status()).isEqualTo(201);
    Http.Answer third = http.post(url + "/v1/groups", Map.of("members", List.of(a)), app);
    assertThat(third.status()).isEqualTo(409);
    assertThat(third.error()).isEqualTo("too_many_groups");

    Http.Answer large = http.post(url + "/v1/groups/" + groupId + "/messages", Map.of("message", "x".repeat(80)), app);
    assertThat(large.status()).isEqualTo(413);
    assertThat(large.error()).isEqualTo("payload_too_large");

    int accepted = 0;
    Http.Answer limited = null;
    for (int i = 0; i < 10 && limited == null; i++) {
      Http.Answer sent = http.post(url + "/v1/groups/" + groupId + "/messages", Map.of("message", "m" + i), app);
      if (sent.status() == 429) {
        limited = sent;
      } else {
        accepted++;
      }
    }
    assertThat(limited).isNotNull();
    assertThat(accepted).isGreaterThanOrEqualTo(3);
    assertThat(limited.error()).isEqualTo("rate_limited");
    assertThat(limited.header("Retry-After")).isNotNull();
  }

  @Test
  void legacyEndpointsJoinQuitAndSendByToken() {
    String alice = cluster.stores.devices().subscribeLegacy("legacy", "uid-alice").token();
    String bob = cluster.stores.devices().subscribeLegacy("legacy", "uid-bob").token();

    Http.Answer joined = http.get(url + "/group/joinGroup?token=" + alice + "&group=room1");
    assertThat(joined.json().get("code").asInt()).as(joined.toString()).isEqualTo(200);
    assertThat(http.get(url + "/group/joinGroup?token=" + bob + "&group=room1").json().get("code").asInt())
        .isEqualTo(200);
    assertThat(http.get(url + "/group/joinGroup?group=room1").json().get("code").asInt()).isEqualTo(10001);
    assertThat(http.get(url + "/group/joinGroup?token=nosuch&group=room1").json().get("code").asInt())
        .isEqualTo(20004);
    assertThat(http.get(url + "/group/joinGroup?token=" + bob).json().get("code").asInt()).isEqualTo(10005);

    Http.Answer sent = http.get(url + "/message/sendToGroup?group=room1&message=hello&token=" + alice);
    assertThat(sent.json().get("code").asInt()).as(sent.toString()).isEqualTo(200);
    assertThat(sent.json().get("seq").asLong()).isEqualTo(1);
    assertThat(http.get(url + "/message/sendToGroup?group=room1").json().get("code").asInt()).isEqualTo(10002);
    assertThat(http.get(url + "/message/sendToGroup?group=nosuch&message=x").json().get("code").asInt())
        .isEqualTo(20003);

    assertThat(http.get(url + "/group/quitGroup?token=" + bob + "&group=room1").json().get("code").asInt())
        .isEqualTo(200);
    assertThat(http.get(url + "/message/sendToGroup?group=room1&message=x&token=" + bob).json().get("code").asInt())
        .isEqualTo(20002);

    // Online only, as universe_push: an offline recipient is a failed send.
    assertThat(http.get(url + "/message/sendToSingle?token=" + bob + "&message=hi&from=" + alice).json().get("code").asInt())
        .isEqualTo(20001);
    String bobRegId = cluster.stores.devices().resolveLegacyToken(bob).orElseThrow();
    cluster.connect("legacy", bobRegId);
    assertThat(http.get(url + "/message/sendToSingle?token=" + bob + "&message=hi&from=" + alice).json().get("code").asInt())
        .isEqualTo(200);
    assertThat(cluster.connector.deliveriesTo(bobRegId)).isNotEmpty();
  }
}
