package io.universepush.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.api.support.Http.Answer;
import io.universepush.api.support.TestCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Devices without the app secret: open registration with the app id alone, then the device's own credentials for its
 * route and its own updates, and nothing else. The app secret keeps opening everything.
 */
class DeviceCredentialsTest {
  private static final Map<String, Object> ANDROID = Map.of("platform", "android");

  private static TestCluster cluster;
  private static String api;
  private static String admin;

  @BeforeAll
  static void start() {
    cluster = TestCluster.shared();
    api = cluster.publicUrl;
    admin = cluster.adminUrl;
  }

  // --- open registration ----------------------------------------------------------------------------------------

  @Test
  void aDeviceRegistersWithTheAppIdAloneAndGetsItsToken() {
    String[] app = cluster.createApp("open");

    Answer registered =
        cluster.http.request(
            "POST",
            api + "/v1/devices",
            Map.of("platform", "web", "alias", "alice", "tags", List.of("news")),
            "X-App-Id",
            app[0]);

    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    String regId = registered.json().get("reg_id").asText();
    String token = registered.json().get("token").asText();
    assertThat(registered.json().has("connectors")).isTrue();
    assertThat(cluster.stores.devices().verifyToken(app[0], regId, token)).isTrue();
    JsonNode device = cluster.http.get(api + "/v1/devices/" + regId, app).json();
    assertThat(device.get("platform").asText()).isEqualTo("web");
    assertThat(device.get("alias").asText()).isEqualTo("alice");
  }

  @Test
  void anAppWithOpenRegistrationSwitchedOffAnswers403WhileItsServerStillRegisters() {
    String[] app = cluster.createApp("closed");
    assertThat(cluster.http.get(admin + "/v1/apps/" + app[0]).json().get("open_registration").asBoolean()).isTrue();

    Answer patched = cluster.http.request("PATCH", admin + "/v1/apps/" + app[0], Map.of("open_registration", false));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.json().get("open_registration").asBoolean()).isFalse();
    assertThat(patched.json().get("name").asText()).isEqualTo("closed");

    Answer refused = openRegister(app[0]);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.error()).isEqualTo("registration_closed");
    assertThat(refused.message()).contains(app[0]).contains("open_registration");
    assertThat(cluster.http.post(api + "/v1/devices", ANDROID, app).status()).isEqualTo(201);

    Answer reopened = cluster.http.request("PATCH", admin + "/v1/apps/" + app[0], Map.of("open_registration", true));
    assertThat(reopened.json().get("open_registration").asBoolean()).isTrue();
    assertThat(openRegister(app[0]).status()).isEqualTo(201);
  }

  @Test
  void anAppCreatedClosedRefusesOpenRegistrationFromTheStart() {
    Answer created = cluster.http.post(admin + "/v1/apps", Map.of("name", "born-closed", "open_registration", false));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().get("open_registration").asBoolean()).isFalse();

    assertThat(openRegister(created.json().get("app_id").asText()).error()).isEqualTo("registration_closed");
  }

  @Test
  void patchingAnAppNeedsAKnownAppAndAField() {
    String[] app = cluster.createApp("patch");
    assertThat(cluster.http.request("PATCH", admin + "/v1/apps/ffffffffffffffff", Map.of("open_registration", false))
            .status())
        .isEqualTo(404);
    Answer empty = cluster.http.request("PATCH", admin + "/v1/apps/" + app[0], Map.of());
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.message()).startsWith("open_registration:");
    Answer wrongType = cluster.http.request("PATCH", admin + "/v1/apps/" + app[0], Map.of("open_registration", "no"));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.message()).startsWith("open_registration:");
    assertThat(cluster.http.request("PATCH", api + "/v1/apps/" + app[0], Map.of("open_registration", false)).status())
        .as("admin listener only")
        .isEqualTo(404);
  }

  @Test
  void anUnknownAppIdIs404NamingItAndNoAppIdIs401() {
    Answer unknown = openRegister("0123456789abcdef");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).isEqualTo("unknown_app");
    assertThat(unknown.message()).contains("0123456789abcdef");

    Answer none = cluster.http.post(api + "/v1/devices", ANDROID);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.error()).isEqualTo("unauthorized");
    assertThat(none.message()).contains("X-App-Id");
  }

  @Test
  void theAppIdAloneOpensNothingButRegistration() {
    String[] app = cluster.createApp("id-only");
    String regId = cluster.registerDevice(app);

    for (Answer answer :
        List.of(
            cluster.http.request("GET", api + "/v1/route?reg_id=" + regId, null, "X-App-Id", app[0]),
            cluster.http.request("PUT", api + "/v1/devices/" + regId, Map.of("alias", "x"), "X-App-Id", app[0]),
            cluster.http.request("GET", api + "/v1/devices/" + regId, null, "X-App-Id", app[0]),
            cluster.http.request("POST", api + "/v1/push", push(regId), "X-App-Id", app[0]))) {
      assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
      assertThat(answer.error()).isEqualTo("unauthorized");
    }
  }

  // --- device credentials -------------------------------------------------------------------------------------

  @Test
  void aDeviceLooksUpItsRouteAndUpdatesItselfWithItsOwnCredentials() {
    String[] app = cluster.createApp("self");
    cluster.announce("self-node", 43000, 0);
    try {
      JsonNode device = openRegister(app[0]).json();
      String regId = device.get("reg_id").asText();
      String[] credentials = deviceHeaders(app[0], regId, device.get("token").asText());

      Answer route = cluster.http.request("GET", api + "/v1/route?reg_id=" + regId, null, credentials);
      assertThat(route.status()).as(route.toString()).isEqualTo(200);
      assertThat(route.json().get("connectors").findValuesAsText("node_id")).contains("self-node");

      Answer updated =
          cluster.http.request(
              "PUT",
              api + "/v1/devices/" + regId,
              Map.of("platform", "ios", "alias", "bob", "tags", List.of("sport")),
              credentials);
      assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
      assertThat(updated.json().get("platform").asText()).isEqualTo("ios");
      assertThat(updated.json().get("alias").asText()).isEqualTo("bob");
      assertThat(cluster.stores.devices().regIdsByTag(app[0], "sport")).containsExactly(regId);
    } finally {
      cluster.nodes.unregister("self-node");
    }
  }

  @Test
  void aDeviceCredentialNeverOpensPushesOtherDevicesOrAppEndpoints() {
    String[] app = cluster.createApp("confined");
    JsonNode device = openRegister(app[0]).json();
    String regId = device.get("reg_id").asText();
    String other = cluster.registerDevice(app);
    String[] credentials = deviceHeaders(app[0], regId, device.get("token").asText());

    Answer pushed = cluster.http.request("POST", api + "/v1/push", push(regId), credentials);
    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(403);
    assertThat(pushed.error()).isEqualTo("forbidden");
    assertThat(pushed.message()).contains("app_id:app_secret");

    assertForbidden(cluster.http.request("GET", api + "/v1/route?reg_id=" + other, null, credentials));
    assertForbidden(cluster.http.request("PUT", api + "/v1/devices/" + other, Map.of("alias", "x"), credentials));
    assertForbidden(cluster.http.request("GET", api + "/v1/devices/" + regId, null, credentials));
    assertForbidden(cluster.http.request("DELETE", api + "/v1/devices/" + regId, null, credentials));
    assertForbidden(cluster.http.request("POST", api + "/v1/devices", ANDROID, credentials));
    assertForbidden(cluster.http.request("GET", api + "/v1/messages/00000000000000000000000000000000", null, credentials));
    assertThat(cluster.stores.devices().find(app[0], other).orElseThrow().alias()).isNull();
  }

  @Test
  void aWrongTokenAnotherAppsIdOrAMissingAppIdIs401() {
    String[] app = cluster.createApp("wrong-token");
    String[] elsewhere = cluster.createApp("elsewhere");
    JsonNode device = openRegister(app[0]).json();
    String regId = device.get("reg_id").asText();
    String token = device.get("token").asText();
    String url = api + "/v1/route?reg_id=" + regId;

    Answer wrong = cluster.http.request("GET", url, null, deviceHeaders(app[0], regId, token + "x"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.error()).isEqualTo("unauthorized");
    assertThat(wrong.header("WWW-Authenticate")).contains("Device");
    assertThat(cluster.http.request("GET", url, null, deviceHeaders(elsewhere[0], regId, token)).status())
        .isEqualTo(401);
    Answer noAppId = cluster.http.request("GET", url, null, "Authorization", "Device " + regId + ":" + token);
    assertThat(noAppId.status()).isEqualTo(401);
    assertThat(noAppId.message()).contains("X-App-Id");
    assertThat(cluster.http.request("GET", url, null, "X-App-Id", app[0], "Authorization", "Device garbage").status())
        .isEqualTo(401);

    assertThat(cluster.http.delete(api + "/v1/devices/" + regId, app).status()).isEqualTo(204);
    assertThat(cluster.http.request("GET", url, null, deviceHeaders(app[0], regId, token)).status())
        .as("a deleted device's token stops working")
        .isEqualTo(401);
  }

  @Test
  void theAppSecretStillOpensEveryDeviceEndpointForAnyDeviceOfTheApp() {
    String[] app = cluster.createApp("server");
    String regId = openRegister(app[0]).json().get("reg_id").asText();

    assertThat(cluster.http.get(api + "/v1/route?reg_id=" + regId, app).status()).isEqualTo(200);
    assertThat(cluster.http.put(api + "/v1/devices/" + regId, Map.of("alias", "carol"), app).status()).isEqualTo(200);
    assertThat(cluster.http.get(api + "/v1/devices/" + regId, app).json().get("alias").asText()).isEqualTo("carol");
    Answer pushed = cluster.http.post(api + "/v1/push", push(regId), app);
    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
    assertThat(cluster.http.delete(api + "/v1/devices/" + regId, app).status()).isEqualTo(204);
  }

  private static Answer openRegister(String appId) {
    return cluster.http.request("POST", api + "/v1/devices", ANDROID, "X-App-Id", appId);
  }

  private static String[] deviceHeaders(String appId, String regId, String token) {
    return new String[] {"X-App-Id", appId, "Authorization", "Device " + regId + ":" + token};
  }

  private static void assertForbidden(Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
    assertThat(answer.error()).isEqualTo("forbidden");
  }

  private static Map<String, Object> push(String regId) {
    return Map.of("audience", Map.of("reg_ids", List.of(regId)), "message", Map.of("text", "hi"), "ttl", 0);
  }
}
