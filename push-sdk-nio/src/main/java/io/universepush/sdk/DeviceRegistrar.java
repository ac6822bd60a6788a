package io.universepush.sdk;

import io.universepush.protocol.legacy.LegacyJson;
import io.universepush.sdk.internal.ApiHttp;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Device registration and route lookup over the HTTP API, without the app secret: a device registers with its app id
 * alone ({@code X-App-Id}; the app must have open registration, the default) and then looks up its route with its own
 * credentials ({@code Authorization: Device reg_id:token}). The app secret belongs on the app's server: never ship it
 * in an app. Blocking: call it off the UI thread.
 */
public final class DeviceRegistrar {
  /** Connect and read timeout of each request. */
  public static final int TIMEOUT_MS = 10000;

  private static final ApiHttp HTTP = new ApiHttp(TIMEOUT_MS);

  private DeviceRegistrar() {}

  /**
   * Registers a new device with the app id alone: {@code POST {apiUrl}/v1/devices} with {@code X-App-Id}.
   *
   * @param platform android, ios, web or other; null for android
   * @param alias null for none
   * @param tags null or empty for none
   * @throws PushApiException when the API refuses: 404 {@code unknown_app}, 403 {@code registration_closed} (the app
   *     switched open registration off), 429 {@code rate_limited}, 400 {@code invalid_field}, ...
   * @throws IOException on network failure or an answer without reg_id/token
   */
  public static DeviceRegistration registerWithAppId(
      String apiUrl, String appId, String platform, String alias, Collection<String> tags) throws IOException {
    return registerWithAppId(apiUrl, appId, platform, alias, tags, null);
  }

  /**
   * {@link #registerWithAppId(String, String, String, String, Collection)} trusting what {@code tls} trusts when the
   * URL is {@code https} (the context given to the client's {@code tls(..)}); null for the platform's default trust.
   */
  public static DeviceRegistration registerWithAppId(
      String apiUrl, String appId, String platform, String alias, Collection<String> tags, SSLContext tls)
      throws IOException {
    requireNonEmpty(appId, "appId");
    Map<String, Object> body = new LinkedHashMap<String, Object>();
    body.put("platform", platform == null ? "android" : platform);
    if (alias != null) {
      body.put("alias", alias);
    }
    if (tags != null && !tags.isEmpty()) {
      body.put("tags", new ArrayList<String>(tags));
    }
    Map<String, Object> answer =
        http(tls).call("POST", base(apiUrl) + "/v1/devices", appId, null, LegacyJson.write(body));
    String regId = string(answer.get("reg_id"));
    String token = string(answer.get("token"));
    if (regId.isEmpty() || token.isEmpty()) {
      throw new IOException("registration answer lacks reg_id or token");
    }
    return new DeviceRegistration(appId, regId, token, parseConnectors(answer.get("connectors")));
  }

  /**
   * The connectors the device should use now, least loaded first: {@code GET {apiUrl}/v1/route?reg_id=..} with the
   * device's own credentials. Empty when no connector is up.
   *
   * @throws PushApiException when the API refuses (401 unknown device or wrong token, 429, ...)
   */
  public static List<ConnectorEndpoint> routeWithToken(String apiUrl, String appId, String regId, String token)
      throws IOException {
    return routeWithToken(apiUrl, appId, regId, token, null);
  }

  /**
   * {@link #routeWithToken(String, String, String, String)} with the trust of {@code tls} for an https URL; null:
   * default.
   */
  public static List<ConnectorEndpoint> routeWithToken(
      String apiUrl, String appId, String regId, String token, SSLContext tls) throws IOException {
    requireNonEmpty(appId, "appId");
    requireNonEmpty(regId, "regId");
    requireNonEmpty(token, "token");
    Map<String, Object> answer =
        http(tls)
            .call(
                "GET",
                base(apiUrl) + "/v1/route?reg_id=" + urlEncode(regId),
                appId,
                ApiHttp.deviceAuth(regId, token),
                null);
    return parseConnectors(answer.get("connectors"));
  }

  private static void requireNonEmpty(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  private static ApiHttp http(SSLContext tls) {
    return tls == null ? HTTP : new ApiHttp(TIMEOUT_MS, tls);
  }

  /** Reads {@code [{"host":..,"tcp_port":..,"ws_port":..,"mqtt_port":..}]}, skipping entries without host or port. */
  static List<ConnectorEndpoint> parseConnectors(Object value) {
    if (!(value instanceof List)) {
      return Collections.emptyList();
    }
    List<ConnectorEndpoint> connectors = new ArrayList<ConnectorEndpoint>();
    for (Object item : (List<?>) value) {
      if (!(item instanceof Map)) {
        continue;
      }
      Map<?, ?> map = (Map<?, ?>) item;
      String host = string(map.get("host"));
      int tcpPort = port(map.get("tcp_port"));
      if (!host.isEmpty() && tcpPort > 0) {
        connectors.add(new ConnectorEndpoint(host, tcpPort, port(map.get("ws_port")), port(map.get("mqtt_port"))));
      }
    }
    return connectors;
  }

  private static int port(Object value) {
    if (value instanceof Number) {
      long port = ((Number) value).longValue();
      return port > 0 && port <= 0xFFFF ? (int) port : 0;
    }
    return 0;
  }

  private static String string(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  static String base(String apiUrl) {
    if (apiUrl == null || apiUrl.isEmpty()) {
      throw new IllegalArgumentException("apiUrl is required");
    }
    return apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
  }

  private static String urlEncode(String s) {
    try {
      return URLEncoder.encode(s, "UTF-8");
    } catch (UnsupportedEncodingException e) {
      throw new AssertionError(e);
    }
  }
}
