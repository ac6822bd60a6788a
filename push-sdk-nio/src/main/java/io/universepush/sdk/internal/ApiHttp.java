package io.universepush.sdk.internal;

import io.universepush.protocol.legacy.LegacyJson;
import io.universepush.sdk.PushApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.Charset;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * JSON over {@link HttpURLConnection}: the only HTTP client every Android version and JVM has. Devices name their app
 * in {@code X-App-Id} and authenticate, once registered, with {@code Authorization: Device reg_id:token}; they never
 * hold the app secret. Not public API.
 */
public final class ApiHttp {
  private static final Charset UTF_8 = Charset.forName("UTF-8");
  /** Answers of this API are small; a bigger one is a wrong URL (an HTML page, a proxy), not data. */
  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  private final int timeoutMs;
  private final SSLContext tls;

  public ApiHttp(int timeoutMs) {
    this(timeoutMs, null);
  }

  /** @param tls trust for {@code https} URLs; null for the platform's default */
  public ApiHttp(int timeoutMs, SSLContext tls) {
    this.timeoutMs = timeoutMs;
    this.tls = tls;
  }

  /** The header that names the app on every device request. */
  public static final String APP_ID_HEADER = "X-App-Id";

  /**
   * Sends the request and returns the answer's JSON object.
   *
   * @param appId sent as {@link #APP_ID_HEADER}
   * @param authorization the {@code Authorization} header, e.g. {@link #deviceAuth}; null for none (open
   *     registration)
   * @param jsonBody null for a request without a body
   * @throws PushApiException when the server answers 4xx/5xx
   * @throws IOException on network failure or when a 2xx answer is not a JSON object
   */
  public Map<String, Object> call(String method, String url, String appId, String authorization, String jsonBody)
      throws IOException {
    HttpURLConnection http = (HttpURLConnection) new URL(url).openConnection();
    if (tls != null && http instanceof HttpsURLConnection) {
      // The default host name verifier stays: the certificate must match the URL's host.
      ((HttpsURLConnection) http).setSSLSocketFactory(tls.getSocketFactory());
    }
    try {
      http.setRequestMethod(method);
      http.setConnectTimeout(timeoutMs);
      http.setReadTimeout(timeoutMs);
      http.setUseCaches(false);
      http.setInstanceFollowRedirects(false);
      http.setRequestProperty("Accept", "application/json");
      http.setRequestProperty(APP_ID_HEADER, appId);
      if (authorization != null) {
        http.setRequestProperty("Authorization", authorization);
      }
      if (jsonBody != null) {
        byte[] body = jsonBody.getBytes(UTF_8);
        // No fixed-length streaming: in that mode the JDK's HttpURLConnection hides the error body of a 401 answer.
        http.setDoOutput(true);
        http.setRequestProperty("Content-Type", "application/json; charset=utf-8");
        OutputStream out = http.getOutputStream();
        try {
          out.write(body);
        } finally {
          out.close();
        }
      }
      int status = http.getResponseCode();
      if (status >= 400) {
        throw apiError(status, readAll(http.getErrorStream()));
      }
      if (status < 200 || status >= 300) {
        throw new IOException(method + " " + url + " answered HTTP " + status);
      }
      String text = readAll(http.getInputStream());
      try {
        return LegacyJson.parseObject(text);
      } catch (IllegalArgumentException e) {
        throw new IOException(method + " " + url + " did not answer a JSON object: " + e.getMessage(), e);
      }
    } finally {
      http.disconnect();
    }
  }

  private static PushApiException apiError(int status, String body) {
    try {
      Map<String, Object> error = LegacyJson.parseObject(body);
      return new PushApiException(status, text(error.get("error")), text(error.get("message")));
    } catch (IllegalArgumentException e) {
      // Not our JSON (a proxy's page, say): keep the start of it as the message.
      String trimmed = body.trim();
      return new PushApiException(status, "", trimmed.length() > 200 ? trimmed.substring(0, 200) : trimmed);
    }
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  private static String readAll(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[4096];
      int n;
      while ((n = in.read(chunk)) >= 0) {
        out.write(chunk, 0, n);
        if (out.size() > MAX_RESPONSE_BYTES) {
          throw new IOException("answer larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
      }
      return new String(out.toByteArray(), UTF_8);
    } finally {
      in.close();
    }
  }

  /** A device's own credentials: reg ids and tokens are URL-safe base64, so they need no encoding. */
  public static String deviceAuth(String regId, String token) {
    return "Device " + regId + ":" + token;
  }
}
