package io.universepush.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.universepush.protocol.legacy.LegacyJson;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceRegistrarTest {
  private static FakeApi api;

  @BeforeAll
  static void startApi() throws Exception {
    api = new FakeApi();
  }

  @AfterAll
  static void stopApi() {
    api.close();
  }

  @BeforeEach
  void forgetRequests() {
    api.requests.clear();
  }

  private static FakeApi.Request lastRequest() throws InterruptedException {
    FakeApi.Request request = api.requests.poll(5, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    return request;
  }

  @Test
  @SuppressWarnings("unchecked")
  void registersWithTheAppIdAloneAndReadsRegIdTokenAndConnectors() throws Exception {
    api.answer(
        "/v1/devices",
        201,
        "{\"reg_id\":\"r-1\",\"token\":\"t-1\",\"connectors\":["
            + "{\"host\":\"10.0.0.1\",\"tcp_port\":6789,\"ws_port\":9326,\"mqtt_port\":1883},"
            + "{\"host\":\"10.0.0.2\",\"tcp_port\":6790}]}");

    DeviceRegistration registration =
        DeviceRegistrar.registerWithAppId(
            api.url() + "/", "app-1", "android", "phone", Arrays.asList("news", "sport"));

    assertThat(registration.appId()).isEqualTo("app-1");
    assertThat(registration.regId()).isEqualTo("r-1");
    assertThat(registration.token()).isEqualTo("t-1");
    assertThat(registration.connectors())
        .containsExactly(new ConnectorEndpoint("10.0.0.1", 6789, 9326, 1883), new ConnectorEndpoint("10.0.0.2", 6790, 0, 0));
    FakeApi.Request request = lastRequest();
    assertThat(request.method).isEqualTo("POST");
    assertThat(request.uri).isEqualTo("/v1/devices");
    assertThat(request.appId).isEqualTo("app-1");
    assertThat(request.authorization).as("no secret, no credentials").isNull();
    assertThat(request.contentType).startsWith("application/json");
    Map<String, Object> body = LegacyJson.parseObject(request.body);
    assertThat(body).containsOnlyKeys("platform", "alias", "tags");
    assertThat(body.get("platform")).isEqualTo("android");
    assertThat(body.get("alias")).isEqualTo("phone");
    assertThat((List<Object>) body.get("tags")).containsExactly("news", "sport");
  }

  @Test
  void leavesOutAliasAndTagsWhenThereAreNone() throws Exception {
    api.answer("/v1/devices", 201, "{\"reg_id\":\"r-2\",\"token\":\"t-2\",\"connectors\":[]}");

    DeviceRegistration registration = DeviceRegistrar.registerWithAppId(api.url(), "app-1", "web", null, null);

    assertThat(registration.connectors()).isEmpty();
    assertThat(lastRequest().body).isEqualTo("{\"platform\":\"web\"}");
  }

  @Test
  void anErrorAnswerBecomesAPushApiExceptionWithStatusCodeAndMessage() throws Exception {
    api.answer("/v1/devices", 403, "{\"error\":\"registration_closed\",\"message\":\"app app-1 is closed\"}");

    assertThatThrownBy(() -> DeviceRegistrar.registerWithAppId(api.url(), "app-1", "android", null, null))
        .isInstanceOfSatisfying(
            PushApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.error()).isEqualTo("registration_closed");
              assertThat(e.apiMessage()).isEqualTo("app app-1 is closed");
              assertThat(e.getMessage()).isEqualTo("HTTP 403 registration_closed: app app-1 is closed");
            });
  }

  @Test
  void anErrorAnswerThatIsNotJsonStillCarriesItsStatus() {
    api.answer("/v1/devices", 502, "Bad Gateway");

    assertThatThrownBy(() -> DeviceRegistrar.registerWithAppId(api.url(), "app-1", "android", null, null))
        .isInstanceOfSatisfying(
            PushApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.apiMessage()).isEqualTo("Bad Gateway");
            });
  }

  @Test
  void aSuccessWithoutCredentialsIsAnError() {
    api.answer("/v1/devices", 201, "{\"connectors\":[]}");

    assertThatThrownBy(() -> DeviceRegistrar.registerWithAppId(api.url(), "app-1", "android", null, null))
        .isNotInstanceOf(PushApiException.class)
        .hasMessageContaining("reg_id");
  }

  @Test
  void looksUpTheRouteOfADeviceWithItsOwnToken() throws Exception {
    api.answer("/v1/route", 200, "{\"connectors\":[{\"host\":\"127.0.0.1\",\"tcp_port\":7000,\"ws_port\":7001}]}");

    List<ConnectorEndpoint> route = DeviceRegistrar.routeWithToken(api.url(), "app-1", "r-1_x", "t-1");

    assertThat(route).containsExactly(new ConnectorEndpoint("127.0.0.1", 7000, 7001, 0));
    FakeApi.Request request = lastRequest();
    assertThat(request.method).isEqualTo("GET");
    assertThat(request.uri).isEqualTo("/v1/route?reg_id=r-1_x");
    assertThat(request.authorization).isEqualTo(FakeApi.device("r-1_x", "t-1"));
    assertThat(request.appId).isEqualTo("app-1");
  }

  @Test
  void aRouteErrorIsAPushApiException() {
    api.answer("/v1/route", 401, "{\"error\":\"unauthorized\",\"message\":\"unknown device or wrong token\"}");

    assertThatThrownBy(() -> DeviceRegistrar.routeWithToken(api.url(), "app-1", "nope", "t"))
        .isInstanceOfSatisfying(PushApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }
}
