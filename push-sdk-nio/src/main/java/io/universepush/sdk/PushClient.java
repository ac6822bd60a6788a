package io.universepush.sdk;

import io.universepush.sdk.internal.Backoff;
import io.universepush.sdk.internal.BindingCredentials;
import io.universepush.sdk.internal.ClientSession;
import io.universepush.sdk.internal.EndpointPicker;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A device's connection to Universe Push: authenticates with its credentials, keeps the connection alive with
 * heartbeats, hands each push to the {@link PushListener} once, acknowledges every push, and reconnects with
 * exponential back-off whenever the connection drops, until {@link #close()}.
 *
 * <pre>{@code
 * PushClient client = PushClient.builder()
 *     .apiUrl("https://push.example.com")
 *     .credentials(appId, regId, token)   // or .binding(appId, regId, token) once per app on the phone
 *     .appSecret(appSecret)              // or .endpoint(host, port), or .registration(registration)
 *     .listener(new PushListener() {
 *       public void onMessage(PushMessage message) { ... }
 *     })
 *     .build();
 * client.connect();
 * ...
 * client.close();                        // or client.logout() when the user signs out
 * }</pre>
 *
 * <p>Each client owns one daemon I/O thread while connected; listener methods run on it. Thread-safe.
 */
public final class PushClient implements Closeable {
  private static final String CLIENT_VERSION = "universe-push-sdk-nio/0.1";
  /** How long close() waits for the I/O thread; it can be inside a blocking route lookup or DNS query. */
  private static final long CLOSE_WAIT_MS = 5000;

  private final Builder config;
  private NioConnectionLoop loop;
  private Thread thread;
  private boolean closed;

  private PushClient(Builder builder) {
    this.config = builder.copy();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts connecting in the background and returns at once; progress is reported to the listener. Calling it again
   * has no effect.
   *
   * @throws IllegalStateException when the client was closed
   */
  public synchronized void connect() {
    if (closed) {
      throw new IllegalStateException("client is closed");
    }
    if (loop != null) {
      return;
    }
    try {
      loop = newLoop();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a selector", e);
    }
    thread = new Thread(loop, "universe-push-" + config.bindings.get(0).regId());
    thread.setDaemon(true);
    thread.start();
  }

  private NioConnectionLoop newLoop() throws IOException {
    ClientSession.Settings settings =
        new ClientSession.Settings(
            config.bindings,
            config.platform,
            CLIENT_VERSION,
            config.heartbeatIntervalMs,
            config.pongTimeoutMs);
    EndpointPicker.RouteLookup lookup = null;
    if (config.apiUrl != null && config.appSecret != null) {
      // The app secret is the first binding's app's: its device's route is the connection's route.
      final String apiUrl = config.apiUrl;
      final String appId = config.bindings.get(0).appId();
      final String appSecret = config.appSecret;
      final String regId = config.bindings.get(0).regId();
      lookup =
          new EndpointPicker.RouteLookup() {
            @Override
            public List<ConnectorEndpoint> route() throws IOException {
              return DeviceRegistrar.route(apiUrl, appId, appSecret, regId);
            }
          };
    }
    InetSocketAddress fixed =
        config.host == null ? null : InetSocketAddress.createUnresolved(config.host, config.port);
    return new NioConnectionLoop(
        settings,
        config.dedupStore != null ? config.dedupStore : new MemoryDedupStore(),
        config.cursorStore != null ? config.cursorStore : new MemoryCursorStore(),
        config.listener,
        new EndpointPicker(fixed, config.connectors, lookup),
        new Backoff(config.backoffBaseMs, config.backoffMaxMs, config.backoffJitter, new SecureRandom()),
        config.connectTimeoutMs,
        config.maxFrameLength);
  }

  /**
   * Says goodbye to the server (DISCONNECT) when connected, closes the connection and stops the I/O thread, waiting
   * for it (a few seconds at most) unless called from a listener method. Calling it again has no effect.
   */
  @Override
  public void close() {
    stop(false);
  }

  /**
   * Logs the device out: sends DISCONNECT with {@code clear_session}, so the server removes the routes of every
   * binding of this client and stops delivering to them (messages with a ttl stay pending until the binding connects
   * again), then closes like {@link #close()}, without reconnecting. Only a live connection can carry the logout:
   * while the client is not connected, it just closes. Calling it after close has no effect.
   */
  public void logout() {
    stop(true);
  }

  private void stop(boolean clearSession) {
    Thread ioThread;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (loop == null) {
        return;
      }
      loop.requestClose(clearSession);
      ioThread = thread;
    }
    if (Thread.currentThread() == ioThread) {
      return;
    }
    try {
      ioThread.join(CLOSE_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public synchronized ConnectionState state() {
    if (loop == null) {
      return closed ? ConnectionState.CLOSED : ConnectionState.NEW;
    }
    return loop.state();
  }

  /** Configures a {@link PushClient}. Every setting but the credentials and a way to find a connector has a default. */
  public static final class Builder {
    /** Mobile networks drop idle connections after a few minutes; one minute stays clear of most of them. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 60000;

    public static final long DEFAULT_PONG_TIMEOUT_MS = 10000;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10000;
    public static final long DEFAULT_BACKOFF_BASE_MS = 500;
    public static final long DEFAULT_BACKOFF_MAX_MS = 30000;
    public static final double DEFAULT_BACKOFF_JITTER = 0.5;
    /** Server frames may carry large payloads; the client accepts up to this body size. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 4 * 1024 * 1024;

    String apiUrl;
    String appSecret;
    String host;
    int port;
    List<BindingCredentials> bindings = new ArrayList<BindingCredentials>();
    List<ConnectorEndpoint> connectors = Collections.emptyList();
    PushListener listener = new PushListener() {};
    DedupStore dedupStore;
    CursorStore cursorStore;
    String platform = "android";
    long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
    long pongTimeoutMs = DEFAULT_PONG_TIMEOUT_MS;
    long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
    long backoffBaseMs = DEFAULT_BACKOFF_BASE_MS;
    long backoffMaxMs = DEFAULT_BACKOFF_MAX_MS;
    double backoffJitter = DEFAULT_BACKOFF_JITTER;
    int maxFrameLength = DEFAULT_MAX_FRAME_LENGTH;

    Builder() {}

    /** The HTTP API, e.g. {@code http://127.0.0.1:8080}; with {@link #appSecret} it is used to look up routes. */
    public Builder apiUrl(String apiUrl) {
      this.apiUrl = apiUrl;
      return this;
    }

    /**
     * The app secret for route lookups over the HTTP API (HTTP Basic {@code appId:appSecret}). Without it the client
     * uses {@link #endpoint} or the connectors of a {@link #registration}.
     */
    public Builder appSecret(String appSecret) {
      this.appSecret = appSecret;
      return this;
    }

    /** Connect to this connector directly, skipping route lookups. */
    public Builder endpoint(String host, int port) {
      if (host == null || host.isEmpty()) {
        throw new IllegalArgumentException("host is required");
      }
      if (port < 1 || port > 0xFFFF) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.host = host;
      this.port = port;
      return this;
    }

    /**
     * The device's identity for one app: its app id, reg id and token (from registration). Replaces any binding set
     * before; use {@link #binding} to add more apps on the same connection.
     */
    public Builder credentials(String appId, String regId, String token) {
      BindingCredentials binding = new BindingCredentials(appId, regId, token);
      bindings.clear();
      bindings.add(binding);
      return this;
    }

    /**
     * Adds an app to the connection: one phone, one connection, several apps, each authenticated on its own. The
     * first binding is the one used for route lookups ({@link #apiUrl}, {@link #appSecret}). {@link
     * PushMessage#appId()} tells the listener which app a push is for; a binding the server refuses is reported to
     * {@link PushListener#onBindingRejected} and does not stop the others. Adding the same app id and reg id again
     * replaces its token.
     *
     * @throws IllegalArgumentException when a value is null or empty
     */
    public Builder binding(String appId, String regId, String token) {
      BindingCredentials binding = new BindingCredentials(appId, regId, token);
      for (int i = 0; i < bindings.size(); i++) {
        if (bindings.get(i).appId().equals(appId) && bindings.get(i).regId().equals(regId)) {
          bindings.set(i, binding);
          return this;
        }
      }
      bindings.add(binding);
      return this;
    }

    /** Credentials and connectors of a fresh {@link DeviceRegistrar#register registration}. */
    public Builder registration(DeviceRegistration registration) {
      credentials(registration.appId(), registration.regId(), registration.token());
      this.connectors = registration.connectors();
      return this;
    }

    public Builder listener(PushListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("listener is null");
      }
      this.listener = listener;
      return this;
    }

    /** Remembers delivered message ids; default a {@link MemoryDedupStore} per client. */
    public Builder dedupStore(DedupStore dedupStore) {
      this.dedupStore = dedupStore;
      return this;
    }

    /**
     * Remembers, per binding, the last fan-out (tag or broadcast) message handled and sends it on CONNECT so that the
     * server replays only what was missed; default a {@link MemoryCursorStore} per client. Give a {@link
     * FileCursorStore} to keep it across app restarts.
     */
    public Builder cursorStore(CursorStore cursorStore) {
      this.cursorStore = cursorStore;
      return this;
    }

    /** Sent in CONNECT: android (default), ios, web or other. */
    public Builder platform(String platform) {
      this.platform = platform;
      return this;
    }

    /** How often to PING; default 60 s. The server may answer with another interval, which the client then keeps. */
    public Builder heartbeatInterval(long millis) {
      this.heartbeatIntervalMs = positive(millis, "heartbeatInterval");
      return this;
    }

    public Builder heartbeatInterval(long amount, TimeUnit unit) {
      return heartbeatInterval(unit.toMillis(amount));
    }

    /** How long to wait for the answer to a PING before calling the connection dead; default 10 s. */
    public Builder pongTimeout(long millis) {
      this.pongTimeoutMs = positive(millis, "pongTimeout");
      return this;
    }

    public Builder pongTimeout(long amount, TimeUnit unit) {
      return pongTimeout(unit.toMillis(amount));
    }

    /** Limit from the start of an attempt to CONNECT_ACK (TCP connect included); default 10 s. */
    public Builder connectTimeout(long millis) {
      this.connectTimeoutMs = positive(millis, "connectTimeout");
      return this;
    }

    public Builder connectTimeout(long amount, TimeUnit unit) {
      return connectTimeout(unit.toMillis(amount));
    }

    /** Reconnect delays: base, doubling per failed attempt up to max; default 500 ms to 30 s. */
    public Builder reconnectBackoff(long baseMillis, long maxMillis) {
      positive(baseMillis, "backoff base");
      if (maxMillis < baseMillis) {
        throw new IllegalArgumentException("backoff max must be >= base");
      }
      this.backoffBaseMs = baseMillis;
      this.backoffMaxMs = maxMillis;
      return this;
    }

    /** Up to this fraction of each reconnect delay is cut at random (0 to 1; default 0.5). */
    public Builder reconnectJitter(double fraction) {
      if (fraction < 0 || fraction > 1) {
        throw new IllegalArgumentException("jitter must be within [0, 1]");
      }
      this.backoffJitter = fraction;
      return this;
    }

    /** Largest frame body accepted from the server; a larger one closes the connection. Default 4 MiB. */
    public Builder maxFrameLength(int bytes) {
      this.maxFrameLength = (int) positive(bytes, "maxFrameLength");
      return this;
    }

    /**
     * @throws IllegalStateException when credentials are missing or there is no way to find a connector (no
     *     endpoint, no registration connectors, no apiUrl with appSecret)
     */
    public PushClient build() {
      if (bindings.isEmpty()) {
        throw new IllegalStateException(
            "credentials(appId, regId, token), binding(..) or registration(..) is required");
      }
      if (host == null && connectors.isEmpty() && (isEmpty(apiUrl) || isEmpty(appSecret))) {
        throw new IllegalStateException(
            "no way to find a connector: set endpoint(host, port), registration(..) with connectors,"
                + " or apiUrl(..) with appSecret(..) for route lookups");
      }
      return new PushClient(this);
    }

    Builder copy() {
      Builder b = new Builder();
      b.apiUrl = apiUrl;
      b.appSecret = appSecret;
      b.host = host;
      b.port = port;
      b.bindings = new ArrayList<BindingCredentials>(bindings);
      b.connectors = new ArrayList<ConnectorEndpoint>(connectors);
      b.listener = listener;
      b.dedupStore = dedupStore;
      b.cursorStore = cursorStore;
      b.platform = platform == null ? "android" : platform;
      b.heartbeatIntervalMs = heartbeatIntervalMs;
      b.pongTimeoutMs = pongTimeoutMs;
      b.connectTimeoutMs = connectTimeoutMs;
      b.backoffBaseMs = backoffBaseMs;
      b.backoffMaxMs = backoffMaxMs;
      b.backoffJitter = backoffJitter;
      b.maxFrameLength = maxFrameLength;
      return b;
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
}
