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
  void registersWithBasicAuthAndReadsRegIdTokenAndConnectors() throws Exception {
    api.answer(
        "/v1/devices",
        201,
        "{\"reg_id\":\"r-1\",\"token\":\"t-1\",\"connectors\":["
            + "{\"host\":\"10.0.0.1\",\"tcp_port\":6789,\"ws_port\":9326,\"mqtt_port\":1883},"
            + "{\"host\":\"10.0.0.2\",\"tcp_port\":6790}]}");

    DeviceRegistration registration =
        DeviceRegistrar.register(
            api.url() + "/", "app-1", "s3cret", "android", "phone", Arrays.asList("news", "sport"));

    assertThat(registration.appId()).isEqualTo("app-1");
    assertThat(registration.regId()).isEqualTo("r-1");
    assertThat(registration.token()).isEqualTo("t-1");
    assertThat(registration.connectors())
        .containsExactly(new ConnectorEndpoint("10.0.0.1", 6789, 9326, 1883), new ConnectorEndpoint("10.0.0.2", 6790, 0, 0));
    FakeApi.Request request = lastRequest();
    assertThat(request.method).isEqualTo("POST");
    assertThat(request.uri).isEqualTo("/v1/devices");
    assertThat(request.authorization).isEqualTo(FakeApi.basic("app-1", "s3cret"));
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

    DeviceRegistration registration = DeviceRegistrar.register(api.url(), "app-1", "s", "web", null, null);

    assertThat(registration.connectors()).isEmpty();
    assertThat(lastRequest().body).isEqualTo("{\"platform\":\"web\"}");
  }

  @Test
  void anErrorAnswerBecomesAPushApiExceptionWithStatusCodeAndMessage() throws Exception {
    api.answer("/v1/devices", 401, "{\"error\":\"unauthorized\",\"message\":\"bad app credentials\"}");

    assertThatThrownBy(() -> DeviceRegistrar.register(api.url(), "app-1", "wrong", "android", null, null))
        .isInstanceOfSatisfying(
            PushApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.error()).isEqualTo("unauthorized");
              assertThat(e.apiMessage()).isEqualTo("bad app credentials");
              assertThat(e.getMessage()).isEqualTo("HTTP 401 unauthorized: bad app credentials");
            });
  }

  @Test
  void anErrorAnswerThatIsNotJsonStillCarriesItsStatus() {
    api.answer("/v1/devices", 502, "Bad Gateway");

    assertThatThrownBy(() -> DeviceRegistrar.register(api.url(), "app-1", "s", "android", null, null))
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

    assertThatThrownBy(() -> DeviceRegistrar.register(api.url(), "app-1", "s", "android", null, null))
        .isNotInstanceOf(PushApiException.class)
        .hasMessageContaining("reg_id");
  }

  @Test
  void looksUpTheRouteOfADevice() throws Exception {
    api.answer("/v1/route", 200, "{\"connectors\":[{\"host\":\"127.0.0.1\",\"tcp_port\":7000,\"ws_port\":7001}]}");

    List<ConnectorEndpoint> route = DeviceRegistrar.route(api.url(), "app-1", "s3cret", "r 1/ü");

    assertThat(route).containsExactly(new ConnectorEndpoint("127.0.0.1", 7000, 7001, 0));
    FakeApi.Request request = lastRequest();
    assertThat(request.method).isEqualTo("GET");
    assertThat(request.uri).isEqualTo("/v1/route?reg_id=r+1%2F%C3%BC");
    assertThat(request.authorization).isEqualTo(FakeApi.basic("app-1", "s3cret"));
  }

  @Test
  void aRouteErrorIsAPushApiException() {
    api.answer("/v1/route", 404, "{\"error\":\"not_found\",\"message\":\"unknown device\"}");

    assertThatThrownBy(() -> DeviceRegistrar.route(api.url(), "app-1", "s", "nope"))
        .isInstanceOfSatisfying(PushApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }
}
