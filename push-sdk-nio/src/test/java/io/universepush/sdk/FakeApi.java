package io.universepush.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.SSLContext;

/** The HTTP API stand-in: answers each path with a canned status and body, and records every request. */
final class FakeApi implements Closeable {
  /** One request as the server saw it. */
  static final class Request {
    final String method;
    final String uri;
    final String authorization;
    /** The X-App-Id header: how a device names its app. */
    final String appId;
    final String contentType;
    final String body;

    Request(String method, String uri, String authorization, String appId, String contentType, String body) {
      this.method = method;
      this.uri = uri;
      this.authorization = authorization;
      this.appId = appId;
      this.contentType = contentType;
      this.body = body;
    }
  }

  private static final class Answer {
    final int status;
    final String body;

    Answer(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  final BlockingQueue<Request> requests = new LinkedBlockingQueue<Request>();
  private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<String, Answer>();
  private final HttpServer server;

  FakeApi() throws IOException {
    this(null);
  }

  /** @param tls the server's TLS context, for an https API; null for http */
  FakeApi(SSLContext tls) throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(address, 0);
    } else {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers requests to {@code path} (without query) with this status and JSON body. */
  FakeApi answer(String path, int status, String body) {
    answers.put(path, new Answer(status, body));
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      requests.add(
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange.getRequestHeaders().getFirst("X-App-Id"),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              readAll(exchange.getRequestBody())));
      Answer answer = answers.get(exchange.getRequestURI().getPath());
      if (answer == null) {
        answer = new Answer(404, "{\"error\":\"not_found\",\"message\":\"no such path\"}");
      }
      byte[] body = answer.body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    int n;
    while ((n = in.read(chunk)) >= 0) {
      out.write(chunk, 0, n);
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  /** The Authorization header a device sends with its own credentials. */
  static String device(String regId, String token) {
    return "Device " + regId + ":" + token;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
