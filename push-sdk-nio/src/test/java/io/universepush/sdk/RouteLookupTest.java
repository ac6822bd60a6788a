package io.universepush.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client without a fixed endpoint finds its connector through the HTTP API. */
class RouteLookupTest {

  @Test
  void connectsToTheConnectorTheRouteLookupWithTheDeviceTokenNames() throws Exception {
    try (FakeApi api = new FakeApi();
        FakeConnector connector = new FakeConnector()) {
      api.answer("/v1/route", 200, "{\"connectors\":[{\"host\":\"127.0.0.1\",\"tcp_port\":" + connector.port() + "}]}");
      RecordingListener listener = new RecordingListener();
      try (PushClient client =
          PushClient.builder()
              .apiUrl(api.url())
              .credentials("app-1", "reg-route", "tok")
              .listener(listener)
              .build()) {
        client.connect();

        connector.acceptAndAuthenticate("node-r");
        assertThat(listener.nextEvent()).isEqualTo("connecting");
        assertThat(listener.nextEvent()).isEqualTo("connected node-r");
        FakeApi.Request request = api.requests.poll(5, TimeUnit.SECONDS);
        assertThat(request.uri).isEqualTo("/v1/route?reg_id=reg-route");
        assertThat(request.authorization).isEqualTo(FakeApi.device("reg-route", "tok"));
        assertThat(request.appId).isEqualTo("app-1");
      }
    }
  }

  @Test
  void usesTheConnectorsOfARegistrationFirst() throws Exception {
    try (FakeConnector connector = new FakeConnector()) {
      DeviceRegistration registration =
          new DeviceRegistration(
              "app-1",
              "reg-registered",
              "tok",
              Collections.singletonList(new ConnectorEndpoint("127.0.0.1", connector.port(), 0, 0)));
      RecordingListener listener = new RecordingListener();
      try (PushClient client = PushClient.builder().registration(registration).listener(listener).build()) {
        client.connect();

        FakeConnector.Connection connection = connector.accept();
        assertThat(connection.readConnect().getBindings(0).getRegId()).isEqualTo("reg-registered");
        connection.acceptConnect("node-x");
        assertThat(listener.nextEvent()).isEqualTo("connecting");
        assertThat(listener.nextEvent()).isEqualTo("connected node-x");
      }
    }
  }

  @Test
  void aFailedRouteLookupIsReportedAndRetried() throws Exception {
    try (FakeApi api = new FakeApi()) {
      api.answer("/v1/route", 503, "{\"error\":\"unavailable\",\"message\":\"no connector\"}");
      RecordingListener listener = new RecordingListener();
      try (PushClient client =
          PushClient.builder()
              .apiUrl(api.url())
              .credentials("app-1", "reg-retry", "tok")
              .listener(listener)
              .reconnectBackoff(20, 100)
              .build()) {
        client.connect();

        assertThat(listener.nextEvent()).isEqualTo("connecting");
        assertThat(listener.nextEvent())
            .isEqualTo("disconnected no connector: HTTP 503 unavailable: no connector");
        assertThat(listener.nextEvent()).isEqualTo("connecting");
      }
    }
  }
}
