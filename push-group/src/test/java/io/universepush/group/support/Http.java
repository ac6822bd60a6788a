package io.universepush.group.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/** A small JSON HTTP client over real sockets. */
public final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;

  public Http() {
    this(null);
  }

  /** A client that trusts what {@code ssl} trusts, for HTTPS listeners with a test certificate. */
  public Http(SSLContext ssl) {
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    client = builder.build();
  }

  /** An answer: status, headers and the body, parsed when it is JSON. */
  public record Answer(int status, HttpResponse<String> raw, JsonNode json) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String error() {
      return json == null ? null : json.path("error").asText(null);
    }

    public String message() {
      return json == null ? null : json.path("message").asText(null);
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  public Answer get(String url, String... basic) {
    return send(builder(url, basic).GET());
  }

  public Answer delete(String url, String... basic) {
    return send(builder(url, basic).DELETE());
  }

  public Answer post(String url, Object body, String... basic) {
    return send(json(builder(url, basic)).POST(publisher(body)));
  }

  public Answer put(String url, Object body, String... basic) {
    return send(json(builder(url, basic)).PUT(publisher(body)));
  }

  /** A request with these headers (name, value, name, value, ...) and no Basic credentials; a null body: none. */
  public Answer request(String method, String url, Object body, String... headers) {
    HttpRequest.Builder builder = builder(url);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    if (body == null) {
      return send(builder.method(method, HttpRequest.BodyPublishers.noBody()));
    }
    return send(json(builder).method(method, publisher(body)));
  }

  /** A POST whose body is sent chunked, without a Content-Length. */
  public Answer postChunked(String url, byte[] body, String... basic) {
    return send(
        json(builder(url, basic))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
  }

  public Answer postForm(String url, String form) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  public Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.contains("json") && !response.body().isEmpty()) {
        json = JSON.readTree(response.body());
      }
      return new Answer(response.statusCode(), response, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static HttpRequest.Builder builder(String url, String... basic) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (basic.length == 2) {
      String credentials = basic[0] + ":" + basic[1];
      builder.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return builder;
  }

  private static HttpRequest.Builder json(HttpRequest.Builder builder) {
    return builder.header("Content-Type", "application/json");
  }

  private static HttpRequest.BodyPublisher publisher(Object body) {
    try {
      String text = body instanceof String s ? s : JSON.writeValueAsString(body);
      return HttpRequest.BodyPublishers.ofString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
