package io.universepush.sdk.internal;

import io.universepush.sdk.ConnectorEndpoint;
import io.universepush.sdk.PositionStore;
import io.universepush.sdk.DedupStore;
import io.universepush.sdk.DeviceRegistrar;
import io.universepush.sdk.DeviceRegistration;
import io.universepush.sdk.FilePositionStore;
import io.universepush.sdk.MemoryPositionStore;
import io.universepush.sdk.MemoryDedupStore;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The settings every push client takes, so that the NIO and AIO clients' builders offer the same ones with the same
 * checks and defaults. Every setting but the credentials and a way to find a connector has a default. Not public API:
 * use {@code PushClient.builder()} or {@code AioPushClient.builder()}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ClientBuilder<B extends ClientBuilder<B>> {
  /** Mobile networks drop idle connections after a few minutes; one minute stays clear of most of them. */
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 60000;

  public static final long DEFAULT_PONG_TIMEOUT_MS = 10000;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10000;
  public static final long DEFAULT_BACKOFF_BASE_MS = 500;
  public static final long DEFAULT_BACKOFF_MAX_MS = 30000;
  public static final double DEFAULT_BACKOFF_JITTER = 0.5;
  /** Server frames may carry large payloads; the client accepts up to this body size. */
  public static final int DEFAULT_MAX_FRAME_LENGTH = 4 * 1024 * 1024;

  final String defaultPlatform;
  String apiUrl;
  String host;
  int port;
  final List<BindingCredentials> bindings = new ArrayList<BindingCredentials>();
  List<ConnectorEndpoint> connectors = Collections.emptyList();
  PushListener listener = new PushListener() {};
  DedupStore dedupStore;
  PositionStore positionStore;
  String platform;
  long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
  long pongTimeoutMs = DEFAULT_PONG_TIMEOUT_MS;
  long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  long backoffBaseMs = DEFAULT_BACKOFF_BASE_MS;
  long backoffMaxMs = DEFAULT_BACKOFF_MAX_MS;
  double backoffJitter = DEFAULT_BACKOFF_JITTER;
  int maxFrameLength = DEFAULT_MAX_FRAME_LENGTH;
  SSLContext tls;

  /** @param defaultPlatform sent in CONNECT when {@link #platform} is not set or set to null */
  protected ClientBuilder(String defaultPlatform) {
    this.defaultPlatform = defaultPlatform;
    this.platform = defaultPlatform;
  }

  /** {@code this}, typed as the concrete builder. */
  protected abstract B self();

  /**
   * The HTTP API, e.g. {@code http://127.0.0.1:8080}: the client looks up its route there before each connection,
   * with the first binding's device credentials ({@code Authorization: Device reg_id:token}).
   */
  public B apiUrl(String apiUrl) {
    this.apiUrl = apiUrl;
    return self();
  }

  /**
   * Ignored: route lookups use the device's own token, so the app secret has no business on a device (anyone who
   * unpacks the app could push to every device of it). Kept so that older code compiles; remove the call and the
   * secret.
   *
   * @deprecated the app secret belongs on the app's server only
   */
  @Deprecated
  public B appSecret(String appSecret) {
    return self();
  }

  /** Connect to this connector directly, skipping route lookups. */
  public B endpoint(String host, int port) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host is required");
    }
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.host = host;
    this.port = port;
    return self();
  }

  /**
   * The device's identity for one app: its app id, reg id and token (from registration). Replaces any binding set
   * before; use {@link #binding} to add more apps on the same connection.
   */
  public B credentials(String appId, String regId, String token) {
    BindingCredentials binding = new BindingCredentials(appId, regId, token);
    bindings.clear();
    bindings.add(binding);
    return self();
  }

  /**
   * Adds an app to the connection: one phone, one connection, several apps, each authenticated on its own. The first
   * binding is the one used for route lookups ({@link #apiUrl}). {@link PushMessage#appId()}
   * tells the listener which app a push is for; a binding the server refuses is reported to {@link
   * PushListener#onBindingRejected} and does not stop the others. Adding the same app id and reg id again replaces
   * its token.
   *
   * @throws IllegalArgumentException when a value is null or empty
   */
  public B binding(String appId, String regId, String token) {
    BindingCredentials binding = new BindingCredentials(appId, regId, token);
    for (int i = 0; i < bindings.size(); i++) {
      if (bindings.get(i).appId().equals(appId) && bindings.get(i).regId().equals(regId)) {
        bindings.set(i, binding);
        return self();
      }
    }
    bindings.add(binding);
    return self();
  }

  /** Credentials and connectors of a fresh {@link DeviceRegistrar#registerWithAppId registration}. */
  public B registration(DeviceRegistration registration) {
    credentials(registration.appId(), registration.regId(), registration.token());
    this.connectors = registration.connectors();
    return self();
  }

  public B listener(PushListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    this.listener = listener;
    return self();
  }

  /** Remembers delivered message ids; default a {@link MemoryDedupStore} per client. */
  public B dedupStore(DedupStore dedupStore) {
    this.dedupStore = dedupStore;
    return self();
  }

  /**
   * Remembers, per binding, how far the app has processed its app's fan-out log (tag and app-wide pushes) and sends
   * it on CONNECT so that the server sends only what was missed; default a {@link MemoryPositionStore} per client.
   * Give a {@link FilePositionStore} to keep it across app restarts.
   */
  public B positionStore(PositionStore positionStore) {
    this.positionStore = positionStore;
    return self();
  }

  /** Sent in CONNECT: android, ios, web or other; the default depends on the client. */
  public B platform(String platform) {
    this.platform = platform;
    return self();
  }

  /** How often to PING; default 60 s. The server may answer with another interval, which the client then keeps. */
  public B heartbeatInterval(long amount, TimeUnit unit) {
    this.heartbeatIntervalMs = positive(unit.toMillis(amount), "heartbeatInterval");
    return self();
  }

  /** How long to wait for the answer to a PING before calling the connection dead; default 10 s. */
  public B pongTimeout(long amount, TimeUnit unit) {
    this.pongTimeoutMs = positive(unit.toMillis(amount), "pongTimeout");
    return self();
  }

  /** Limit from the start of an attempt to CONNECT_ACK (TCP connect included); default 10 s. */
  public B connectTimeout(long amount, TimeUnit unit) {
    this.connectTimeoutMs = positive(unit.toMillis(amount), "connectTimeout");
    return self();
  }

  /** Reconnect delays: base, doubling per failed attempt up to max; default 500 ms to 30 s. */
  public B reconnectBackoff(long baseMillis, long maxMillis) {
    positive(baseMillis, "backoff base");
    if (maxMillis < baseMillis) {
      throw new IllegalArgumentException("backoff max must be >= base");
    }
    this.backoffBaseMs = baseMillis;
    this.backoffMaxMs = maxMillis;
    return self();
  }

  /** Up to this fraction of each reconnect delay is cut at random (0 to 1; default 0.5). */
  public B reconnectJitter(double fraction) {
    if (fraction < 0 || fraction > 1) {
      throw new IllegalArgumentException("jitter must be within [0, 1]");
    }
    this.backoffJitter = fraction;
    return self();
  }

  /** Largest frame body accepted from the server; a larger one closes the connection. Default 4 MiB. */
  public B maxFrameLength(int bytes) {
    this.maxFrameLength = (int) positive(bytes, "maxFrameLength");
    return self();
  }

  /**
   * Connects to the connector's TLS port with this context's trust (and key) managers, and uses them for an
   * {@code https} {@link #apiUrl} too. The server's certificate must be valid for the endpoint's host name (checked on
   * Android 7 / API 24 and later and on every JVM; older Android versions skip the host name check). TLSv1.3 and
   * TLSv1.2 only. The endpoint port must then be the connector's TLS port (default 6790).
   */
  public B tls(SSLContext context) {
    if (context == null) {
      throw new IllegalArgumentException("context is null");
    }
    this.tls = context;
    return self();
  }

  /** {@link #tls(SSLContext)} with the platform's default trust: for servers with a certificate from a public CA. */
  public B tls() {
    try {
      return tls(SSLContext.getDefault());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the platform has no default TLS context", e);
    }
  }

  /**
   * A snapshot of the settings for a new client; later changes to this builder do not reach it.
   *
   * @throws IllegalStateException when credentials are missing or there is no way to find a connector (no endpoint,
   *     no registration connectors, no apiUrl)
   */
  protected final ClientConfig config() {
    if (bindings.isEmpty()) {
      throw new IllegalStateException("credentials(appId, regId, token), binding(..) or registration(..) is required");
    }
    if (host == null && connectors.isEmpty() && isEmpty(apiUrl)) {
      throw new IllegalStateException(
          "no way to find a connector: set endpoint(host, port), registration(..) with connectors,"
              + " or apiUrl(..) for route lookups");
    }
    return new ClientConfig(this);
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static long positive(long value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }
}
