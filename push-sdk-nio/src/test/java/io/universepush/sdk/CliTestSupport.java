package io.universepush.sdk;

import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.Push;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** The fake API and connector, for the CLI tests in another package. */
public final class CliTestSupport implements Closeable {
  private final FakeApi api = new FakeApi();
  private final FakeConnector connector = new FakeConnector();
  private FakeConnector.Connection connection;

  public CliTestSupport() throws IOException {}

  public String apiUrl() {
    return api.url();
  }

  public int connectorPort() {
    return connector.port();
  }

  public void answerRegistration(String regId, String token) {
    api.answer(
        "/v1/devices",
        201,
        "{\"reg_id\":\"" + regId + "\",\"token\":\"" + token + "\",\"connectors\":[{\"host\":\"127.0.0.1\","
            + "\"tcp_port\":" + connector.port() + ",\"ws_port\":9326,\"mqtt_port\":1883}]}");
  }

  public void answerRegistrationError(int status, String body) {
    api.answer("/v1/devices", status, body);
  }

  public String registrationBody() throws InterruptedException {
    FakeApi.Request request = api.requests.poll(5, TimeUnit.SECONDS);
    return request == null ? null : request.body;
  }

  /** Accepts the CLI's connection and its CONNECT. */
  public Connect acceptConnect(String nodeId) throws Exception {
    connection = connector.accept();
    Connect connect = connection.readConnect();
    connection.acceptConnect(nodeId);
    return connect;
  }

  /** Pushes and waits for the acknowledgement. */
  public void push(Push push) throws Exception {
    connection.push(push);
    connection.readAck();
  }

  @Override
  public void close() throws IOException {
    api.close();
    connector.close();
  }
}
