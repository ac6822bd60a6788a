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
 * Device registration and route lookup over the HTTP API, authenticated as the app (HTTP Basic {@code appId:appSecret}).
 * Blocking: call it off the UI thread.
 */
public final class DeviceRegistrar {
  /** Connect and read timeout of each request. */
  public static final int TIMEOUT_MS = 10000;

  private static final ApiHttp HTTP = new ApiHttp(TIMEOUT_MS);

  private DeviceRegistrar() {}

  /**
   * Registers a new device: {@code POST {apiUrl}/v1/devices}.
   *
   * @param platform android, ios, web or other
   * @param alias null for none
   * @param tags null or empty for none
   * @throws PushApiException when the API refuses (bad app credentials, invalid field, ...)
   * @throws IOException on network failure or an answer without reg_id/token
   */
  public static DeviceRegistration register(
      String apiUrl, String appId, String appSecret, String platform, String alias, Collection<String> tags)
      throws IOException {
    return register(apiUrl, appId, appSecret, platform, alias, tags, null);
  }

  /**
   * {@link #register(String, String, String, String, String, Collection)} trusting what {@code tls} trusts when the
   * URL is {@code https} (the context given to the client's {@code tls(..)}); null for the platform's default trust.
   */
  public static DeviceRegistration register(
      String apiUrl,
      String appId,
      String appSecret,
      String platform,
      String alias,
      Collection<String> tags,
      SSLContext tls)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<String, Object>();
    body.put("platform", platform == null ? "android" : platform);
    if (alias != null) {
      body.put("alias", alias);
    }
    if (tags != null && !tags.isEmpty()) {
      body.put("tags", new ArrayList<String>(tags));
    }
    Map<String, Object> answer =
        http(tls).call("POST", base(apiUrl) + "/v1/devices", appId, appSecret, LegacyJson.write(body));
    String regId = string(answer.get("reg_id"));
    String token = string(answer.get("token"));
    if (regId.isEmpty() || token.isEmpty()) {
      throw new IOException("registration answer lacks reg_id or token");
    }
    return new DeviceRegistration(appId, regId, token, parseConnectors(answer.get("connectors")));
  }

  /**
   * The connectors a device should use now, least loaded first: {@code GET {apiUrl}/v1/route?reg_id=..}. Empty when
   * no connector is up.
   *
   * @throws PushApiException when the API refuses
   */
  public static List<ConnectorEndpoint> route(String apiUrl, String appId, String appSecret, String regId)
      throws IOException {
    return route(apiUrl, appId, appSecret, regId, null);
  }

  /** {@link #route(String, String, String, String)} with the trust of {@code tls} for an https URL; null: default. */
  public static List<ConnectorEndpoint> route(
      String apiUrl, String appId, String appSecret, String regId, SSLContext tls) throws IOException {
    Map<String, Object> answer =
        http(tls).call("GET", base(apiUrl) + "/v1/route?reg_id=" + urlEncode(regId), appId, appSecret, null);
    return parseConnectors(answer.get("connectors"));
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
