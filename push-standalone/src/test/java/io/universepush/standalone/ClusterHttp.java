package io.universepush.standalone;

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
import javax.net.ssl.SSLContext;

/** An HTTP client for tests: what an app server's curl would send. */
final class ClusterHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;

  ClusterHttp() {
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Over HTTPS, trusting what {@code tls} trusts. */
  ClusterHttp(SSLContext tls) {
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build();
  }

  record Reply(int status, JsonNode body) {}

  Reply post(String url, String basicAuth, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    return send(auth(request, basicAuth));
  }

  /** A POST with a header of the caller's (e.g. {@code X-App-Id} for an open device registration). */
  Reply postWithHeader(String url, String header, String value, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header(header, value)
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Reply get(String url, String basicAuth) {
    return send(auth(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET(), basicAuth));
  }

  static String basic(String user, String password) {
    return user + ":" + password;
  }

  private static HttpRequest.Builder auth(HttpRequest.Builder request, String basicAuth) {
    if (basicAuth != null) {
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basicAuth.getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return new Reply(response.statusCode(), body == null || body.isBlank() ? null : JSON.readTree(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
