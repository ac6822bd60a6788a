package io.universepush.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.api.support.Http.Answer;
import io.universepush.api.support.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request-rate limits, on a push-api of its own with small ones. Outcomes only: requests are sent far faster than
 * the configured refill, and each test asserts what the client sees once over the limit.
 */
class RateLimitTest {
  private static final int PUSH_BURST = 3;
  private static final int FAILED_AUTH_BURST = 3;
  /** More requests than the burst plus any refill while they are sent. */
  private static final int ATTEMPTS = 30;

  private static TestCluster cluster;
  private static String api;

  @BeforeAll
  static void start() {
    cluster =
        TestCluster.start(
            1,
            "--universe.push.api.limits.pushes-per-second=1",
            "--universe.push.api.limits.push-burst=" + PUSH_BURST,
            "--universe.push.api.limits.failed-auths-per-minute=1",
            "--universe.push.api.limits.failed-auth-burst=" + FAILED_AUTH_BURST);
    api = cluster.publicUrl;
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void pushesBeyondTheBurstGet429WithRetryAfterWhileAnotherAppIsUnaffected() {
    String[] busy = cluster.createApp("busy");
    String[] quiet = cluster.createApp("quiet");
    String busyDevice = cluster.registerDevice(busy);
    String quietDevice = cluster.registerDevice(quiet);

    Answer limited = firstRateLimited(() -> cluster.http.post(api + "/v1/push", push(busyDevice), busy));

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.error()).isEqualTo("rate_limited");
    assertThat(limited.message()).contains("pushes");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();

    Answer other = cluster.http.post(api + "/v1/push", push(quietDevice), quiet);
    assertThat(other.status()).as(other.toString()).isEqualTo(200);
  }

  @Test
  void legacyPushesBeyondTheBurstGet429InTheLegacyShape() {
    Answer limited = firstRateLimited(() -> cluster.http.get(api + "/push/sendToAll?message=flood"));

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("code").asInt()).isEqualTo(429);
    assertThat(limited.json().get("message").asText()).contains("pushes");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
  }

  @Test
  void failedAuthenticationsFromOneAddressGet429EvenWithTheRightSecretWhileOthersStillAuthenticate()
      throws Exception {
    String[] target = cluster.createApp("target");
    String[] other = cluster.createApp("other");
    // Another loopback address than the rest of the tests: Linux routes all of 127/8 to this host.
    String attacker = "127.0.0.2";
    String path = "/v1/devices/nope";

    int status = 0;
    for (int i = 0; i < ATTEMPTS && status != 429; i++) {
      status = statusFrom(attacker, path, target[0], "wrong-secret-" + i);
      assertThat(status).isIn(401, 429);
    }
    assertThat(status).isEqualTo(429);
    assertThat(statusFrom(attacker, path, target[0], target[1])).isEqualTo(429);

    // The right secret of another app, from another address: authenticated (404: no such device).
    Answer fine = cluster.http.get(api + path, other);
    assertThat(fine.status()).as(fine.toString()).isEqualTo(404);
    assertThat(fine.error()).isEqualTo("not_found");
  }

  private static Answer firstRateLimited(Supplier<Answer> request) {
    for (int i = 0; i < ATTEMPTS; i++) {
      Answer answer = request.get();
      if (answer.status() == 429) {
        return answer;
      }
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }
    throw new AssertionError("no 429 after " + ATTEMPTS + " requests");
  }

  private static Map<String, Object> push(String regId) {
    return Map.of("audience", Map.of("reg_ids", List.of(regId)), "message", Map.of("text", "hi"), "ttl", 0);
  }

  /** A GET with Basic credentials from a chosen local address (java.net.http cannot bind one); the status code. */
  private static int statusFrom(String localAddress, String path, String user, String password) throws IOException {
    URI uri = URI.create(api);
    String credentials =
        Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Basic " + credentials
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = readAll(socket.getInputStream());
      // "HTTP/1.1 401 ..."
      return Integer.parseInt(response.substring(9, 12));
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }
}
