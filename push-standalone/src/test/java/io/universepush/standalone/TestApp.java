package io.universepush.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.sdk.DedupStore;
import io.universepush.sdk.MemoryDedupStore;
import io.universepush.sdk.MemoryPositionStore;
import io.universepush.sdk.PositionStore;
import io.universepush.sdk.PushClient;
import io.universepush.sdk.PushListener;

/** One app of a running cluster, seen as its app server and its devices see it. */
final class TestApp {
  private final LocalCluster cluster;
  private final ClusterHttp http;
  private final String appId;
  private final String auth;

  private TestApp(LocalCluster cluster, ClusterHttp http, String appId, String auth) {
    this.cluster = cluster;
    this.http = http;
    this.appId = appId;
    this.auth = auth;
  }

  static TestApp create(LocalCluster cluster, ClusterHttp http, String name) {
    ClusterHttp.Reply app = http.post(cluster.adminUrl() + "/v1/apps", null, "{\"name\":\"" + name + "\"}");
    assertThat(app.status()).isEqualTo(201);
    String appId = app.body().get("app_id").asText();
    return new TestApp(cluster, http, appId, ClusterHttp.basic(appId, app.body().get("app_secret").asText()));
  }

  String appId() {
    return appId;
  }

  String auth() {
    return auth;
  }

  JsonNode registerDevice(String platform) {
    return registerDevice(platform, "[]");
  }

  JsonNode registerDevice(String platform, String tagsJson) {
    ClusterHttp.Reply reply =
        http.post(
            cluster.apiUrl() + "/v1/devices",
            auth,
            "{\"platform\":\"" + platform + "\",\"tags\":" + tagsJson + "}");
    assertThat(reply.status()).isEqualTo(201);
    return reply.body();
  }

  /** POST /v1/push with this audience, message and ttl. */
  ClusterHttp.Reply push(String audienceJson, String messageJson, long ttl) {
    return http.post(
        cluster.apiUrl() + "/v1/push",
        auth,
        "{\"audience\":" + audienceJson + ",\"message\":" + messageJson + ",\"ttl\":" + ttl + "}");
  }

  ClusterHttp.Reply pushRaw(String body) {
    return http.post(cluster.apiUrl() + "/v1/push", auth, body);
  }

  JsonNode status(String msgId) {
    ClusterHttp.Reply reply = http.get(cluster.apiUrl() + "/v1/messages/" + msgId, auth);
    assertThat(reply.status()).isEqualTo(200);
    return reply.body();
  }

  PushClient connect(JsonNode device, PushListener listener, int port) {
    return connect(device, listener, port, new MemoryDedupStore(10_000));
  }

  PushClient connect(JsonNode device, PushListener listener, int port, DedupStore dedup) {
    return connect(device, listener, port, dedup, new MemoryPositionStore());
  }

  PushClient connect(JsonNode device, PushListener listener, int port, DedupStore dedup, PositionStore cursors) {
    PushClient client = client(device, listener, port).dedupStore(dedup).positionStore(cursors).build();
    client.connect();
    return client;
  }

  /** A client builder for this device, for tests that add more (another app's binding, stores). */
  PushClient.Builder client(JsonNode device, PushListener listener, int port) {
    return PushClient.builder()
        .apiUrl(cluster.apiUrl())
        .endpoint("127.0.0.1", port)
        .binding(appId, device.get("reg_id").asText(), device.get("token").asText())
        .listener(listener);
  }
}
