package io.universepush.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The few HTTP calls the scenarios make: create an app (admin port), register devices and push (public port). */
final class ClusterApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String apiUrl;
  private final String adminUrl;

  ClusterApi(String apiUrl, String adminUrl) {
    this.apiUrl = apiUrl;
    this.adminUrl = adminUrl;
  }

  String apiUrl() {
    return apiUrl;
  }

  /** {app_id, app_secret} of a new app. */
  String[] createApp(String name) throws IOException, InterruptedException {
    JsonNode app = call(adminUrl + "/v1/apps", null, "{\"name\":\"" + name + "\"}", 201);
    return new String[] {app.get("app_id").asText(), app.get("app_secret").asText()};
  }

  /** {reg_id, token} of a new device, registered with the app secret (the server's way, not rate-limited as open). */
  String[] register(String appId, String secret) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        JsonNode device = call(apiUrl + "/v1/devices", basic(appId, secret), "{\"platform\":\"android\"}", 201);
        return new String[] {device.get("reg_id").asText(), device.get("token").asText()};
      } catch (RateLimited e) {
        Thread.sleep(Math.min(1000, 50L << Math.min(attempt, 5)));
      }
    }
  }

  /** The msg id of a unicast push with a ttl (so a device that is away gets it when back). */
  String push(String appId, String secret, String regId, String text) throws IOException, InterruptedException {
    String body =
        "{\"audience\":{\"reg_ids\":[\"" + regId + "\"]},\"message\":{\"text\":\"" + text + "\"},\"ttl\":3600}";
    for (int attempt = 0; ; attempt++) {
      try {
        return call(apiUrl + "/v1/push", basic(appId, secret), body, 200).get("msg_id").asText();
      } catch (RateLimited e) {
        Thread.sleep(Math.min(1000, 50L << Math.min(attempt, 5)));
      }
    }
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static final class RateLimited extends IOException {
    RateLimited() {
      super("429");
    }
  }

  private JsonNode call(String url, String authorization, String body, int expected)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 429) {
      throw new RateLimited();
    }
    if (response.statusCode() != expected && response.statusCode() / 100 != 2) {
      throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
