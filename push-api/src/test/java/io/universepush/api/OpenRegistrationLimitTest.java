package io.universepush.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.api.support.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits of registration without a secret (per client IP, per app) and of guessing device tokens, on a push-api
 * of its own with small ones. Each test sends from its own loopback address (Linux routes all of 127/8 to this host)
 * so that the per-IP buckets of one test never touch another's. Refills are per minute or slow, far below the rate
 * the requests are sent at.
 */
class OpenRegistrationLimitTest {
  private static final int PER_APP_BURST = 3;
  private static final int PER_IP_BURST = 5;
  private static final int FAILED_AUTH_BURST = 3;
  private static final int ATTEMPTS = 30;
  private static final String BODY = "{\"platform\":\"android\"}";

  private static TestCluster cluster;

  /** A raw answer: status, Retry-After, body. */
  private record Raw(int status, String retryAfter, String body) {}

  @BeforeAll
  static void start() {
    cluster =
        TestCluster.start(
            1,
            "--universe.push.api.limits.open-registrations-per-second=1",
            "--universe.push.api.limits.open-registration-burst=" + PER_APP_BURST,
            "--universe.push.api.limits.open-registrations-per-minute-per-ip=1",
            "--universe.push.api.limits.open-registration-burst-per-ip=" + PER_IP_BURST,
            "--universe.push.api.limits.failed-auths-per-minute=1",
            "--universe.push.api.limits.failed-auth-burst=" + FAILED_AUTH_BURST);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void oneAppsOpenRegistrationsBeyondItsBurstGet429WithRetryAfterWhileItsServerAndOtherAppsRegister()
      throws IOException {
    String[] busy = cluster.createApp("busy");
    String[] quiet = cluster.createApp("quiet");

    Raw limited = null;
    // Several addresses, so that the per-IP limit is never the one reached.
    for (int i = 0; i < ATTEMPTS && limited == null; i++) {
      Raw answer = register("127.0.1." + (1 + i), busy[0]);
      if (answer.status() == 429) {
        limited = answer;
      } else {
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
      }
    }

    assertThat(limited).as("no 429 after " + ATTEMPTS + " registrations").isNotNull();
    assertThat(limited.body()).contains("rate_limited").contains("for this app");
    assertThat(Long.parseLong(limited.retryAfter())).isPositive();
    assertThat(register("127.0.1.200", quiet[0]).status()).isEqualTo(201);
    assertThat(cluster.http.post(cluster.publicUrl + "/v1/devices", java.util.Map.of("platform", "ios"), busy).status())
        .as("the app's server registers on its own bucket")
        .isEqualTo(201);
  }

  @Test
  void oneAddressBeyondItsBurstGets429WhateverTheAppAndUnknownAppIdsCountToo() throws IOException {
    String address = "127.0.2.1";
    Raw limited = null;
    for (int i = 0; i < ATTEMPTS && limited == null; i++) {
      // A fresh app each time, so that the per-app limit is never the one reached; every other one an unknown id.
      String appId = i % 2 == 0 ? cluster.createApp("ip-" + i)[0] : String.format(Locale.ROOT, "%016x", i);
      Raw answer = register(address, appId);
      if (answer.status() == 429) {
        limited = answer;
      } else {
        assertThat(answer.status()).as(answer.body()).isIn(201, 404);
      }
    }

    assertThat(limited).as("no 429 after " + ATTEMPTS + " registrations").isNotNull();
    assertThat(limited.body()).contains("rate_limited").contains("from this address");
    assertThat(Long.parseLong(limited.retryAfter())).isPositive();
    assertThat(register("127.0.2.2", cluster.createApp("elsewhere")[0]).status()).isEqualTo(201);
  }

  @Test
  void wrongDeviceTokensCountAsFailedAuthenticationsOfTheirAddress() throws IOException {
    String[] app = cluster.createApp("guessed");
    String regId = cluster.registerDevice(app);
    String address = "127.0.3.1";

    int status = 0;
    for (int i = 0; i < ATTEMPTS && status != 429; i++) {
      status = route(address, app[0], regId, "guess-" + i).status();
      assertThat(status).isIn(401, 429);
    }

    assertThat(status).isEqualTo(429);
    assertThat(route("127.0.3.2", app[0], regId, "another-guess").status())
        .as("another address is not limited")
        .isEqualTo(401);
  }

  private static Raw register(String localAddress, String appId) throws IOException {
    return send(
        localAddress,
        "POST /v1/devices HTTP/1.1\r\nX-App-Id: " + appId + "\r\nContent-Type: application/json\r\nContent-Length: "
            + BODY.length() + "\r\n",
        BODY);
  }

  private static Raw route(String localAddress, String appId, String regId, String token) throws IOException {
    return send(
        localAddress,
        "GET /v1/route?reg_id=" + regId + " HTTP/1.1\r\nX-App-Id: " + appId + "\r\nAuthorization: Device " + regId
            + ":" + token + "\r\n",
        "");
  }

  /** java.net.http cannot bind a local address: HTTP/1.1 by hand, one request per connection. */
  private static Raw send(String localAddress, String head, String body) throws IOException {
    URI uri = URI.create(cluster.publicUrl);
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write((head + "Host: " + uri.getHost() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      out.flush();
      String response = readAll(socket.getInputStream());
      Matcher retryAfter = Pattern.compile("(?im)^Retry-After:\\s*(\\d+)").matcher(response);
      return new Raw(
          Integer.parseInt(response.substring(9, 12)), retryAfter.find() ? retryAfter.group(1) : null, response);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
