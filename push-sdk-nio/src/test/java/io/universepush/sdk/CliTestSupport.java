package io.universepush.sdk;

import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.Push;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** The fake API and connector, for the CLI tests in another package. */
public final class CliTestSupport implements Closeable {
  private final FakeApi api;
  private final FakeConnector connector;
  private FakeConnector.Connection connection;

  public CliTestSupport() throws IOException {
    api = new FakeApi();
    connector = new FakeConnector();
  }

  private CliTestSupport(SSLContext tls) throws IOException {
    api = new FakeApi(tls);
    connector = new FakeConnector(tls);
  }

  /** An https API and a TLS connector, both with the development certificate of {@link #certificatePem()}. */
  public static CliTestSupport withTls() throws Exception {
    return new CliTestSupport(DevTls.serverContext());
  }

  public static Path certificatePem() throws IOException {
    return DevTls.certificates().certificatePem();
  }

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

  /** Answers route lookups with this fake connector. */
  public void answerRoute() {
    api.answer(
        "/v1/route",
        200,
        "{\"connectors\":[{\"host\":\"127.0.0.1\",\"tcp_port\":" + connector.port() + "}]}");
  }

  /** What the CLI sent to the API: enough to see which credentials went with it. */
  public static final class SeenRequest {
    public final String method;
    public final String uri;
    public final String appId;
    public final String authorization;
    public final String body;

    SeenRequest(FakeApi.Request request) {
      this.method = request.method;
      this.uri = request.uri;
      this.appId = request.appId;
      this.authorization = request.authorization;
      this.body = request.body;
    }
  }

  /** The next request the API received, or null after 5 s. */
  public SeenRequest nextRequest() throws InterruptedException {
    FakeApi.Request request = api.requests.poll(5, TimeUnit.SECONDS);
    return request == null ? null : new SeenRequest(request);
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

  /** Accepts the CLI's connection, its one binding starting from {@code position} ({@code recovered} or not). */
  public Connect acceptConnect(String nodeId, boolean recovered, FanoutPosition position) throws Exception {
    connection = connector.accept();
    Connect connect = connection.readConnect();
    connection.acceptConnect(
        nodeId,
        java.util.Collections.singletonList(
            FakeConnector.accepted(
                connect.getBindings(0).getAppId(), connect.getBindings(0).getRegId(), recovered, position)));
    return connect;
  }

  /** The binding's position in a CONNECT, null when it carries none. */
  public static FanoutPosition positionIn(Connect connect) {
    return FakeConnector.positionIn(connect, 0);
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
