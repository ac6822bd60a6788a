package io.universepush.sdk.aio;

import io.universepush.sdk.ConnectionState;
import io.universepush.sdk.ConnectorEndpoint;
import io.universepush.sdk.CursorStore;
import io.universepush.sdk.DedupStore;
import io.universepush.sdk.DeviceRegistrar;
import io.universepush.sdk.DeviceRegistration;
import io.universepush.sdk.MemoryCursorStore;
import io.universepush.sdk.MemoryDedupStore;
import io.universepush.sdk.PushListener;
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
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The push-sdk-nio client on {@link java.nio.channels.AsynchronousSocketChannel}: same protocol session, back-off,
 * de-duplication, fan-out cursors, listener and builder, for servers and desktop JVMs that prefer completion handlers
 * to a selector thread. Android apps use {@code PushClient} from push-sdk-nio.
 *
 * <pre>{@code
 * AioPushClient client = AioPushClient.builder()
 *     .endpoint(host, port)
 *     .credentials(appId, regId, token)     // or .binding(..) once per app
 *     .listener(listener)
 *     .build();
 * client.connect();
 * client.close();                           // or client.logout()
 * }</pre>
 *
 * <p>Listener methods run on the client's own thread, one at a time. Thread-safe.
 */
public final class AioPushClient implements Closeable {
  private static final String CLIENT_VERSION = "universe-push-sdk-aio/0.1";
  private static final long CLOSE_WAIT_MS = 5000;

  private final Builder config;
  private AioConnection connection;
  private ScheduledThreadPoolExecutor loop;
  private boolean closed;

  private AioPushClient(Builder builder) {
    this.config = builder.copy();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts connecting in the background and returns at once. Calling it again has no effect.
   *
   * @throws IllegalStateException when the client was closed
   */
  public synchronized void connect() {
    if (closed) {
      throw new IllegalStateException("client is closed");
    }
    if (connection != null) {
      return;
    }
    final String threadName = "universe-push-aio-" + config.bindings.get(0).regId();
    loop =
        new ScheduledThreadPoolExecutor(
            1,
            new ThreadFactory() {
              @Override
              public Thread newThread(Runnable r) {
                Thread thread = new Thread(r, threadName);
                thread.setDaemon(true);
                return thread;
              }
            });
    // A reconnect scheduled 30 s ahead must not keep a closed client's thread alive.
    loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    loop.setRemoveOnCancelPolicy(true);
    connection =
        new AioConnection(
            new ClientSession.Settings(
                config.bindings,
                config.platform,
                CLIENT_VERSION,
                config.heartbeatIntervalMs,
                config.pongTimeoutMs),
            config.dedupStore != null ? config.dedupStore : new MemoryDedupStore(),
            config.cursorStore != null ? config.cursorStore : new MemoryCursorStore(),
            config.listener,
            endpoints(),
            new Backoff(config.backoffBaseMs, config.backoffMaxMs, config.backoffJitter, new SecureRandom()),
            config.connectTimeoutMs,
            config.maxFrameLength,
            loop);
    connection.start();
  }

  private EndpointPicker endpoints() {
    EndpointPicker.RouteLookup lookup = null;
    if (config.apiUrl != null && config.appSecret != null) {
      final String apiUrl = config.apiUrl;
      final String appSecret = config.appSecret;
      final BindingCredentials first = config.bindings.get(0);
      lookup =
          new EndpointPicker.RouteLookup() {
            @Override
            public List<ConnectorEndpoint> route() throws IOException {
              return DeviceRegistrar.route(apiUrl, first.appId(), appSecret, first.regId());
            }
          };
    }
    InetSocketAddress fixed =
        config.host == null ? null : InetSocketAddress.createUnresolved(config.host, config.port);
    return new EndpointPicker(fixed, config.connectors, lookup);
  }

  /** DISCONNECT (without clearing the session), close, no reconnect. Calling it again has no effect. */
  @Override
  public void close() {
    stop(false);
  }

  /** DISCONNECT with {@code clear_session}: the server forgets this client's bindings; then as {@link #close()}. */
  public void logout() {
    stop(true);
  }

  private void stop(boolean clearSession) {
    ScheduledThreadPoolExecutor ioLoop;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (connection == null) {
        return;
      }
      connection.stop(clearSession);
      ioLoop = loop;
    }
    try {
      // From a listener method (on the loop itself) waiting would only delay the shutdown it is part of.
      if (!Thread.currentThread().getName().equals("universe-push-aio-" + config.bindings.get(0).regId())) {
        ioLoop.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public synchronized ConnectionState state() {
    if (connection == null) {
      return closed ? ConnectionState.CLOSED : ConnectionState.NEW;
    }
    return connection.state();
  }

  /** Configures an {@link AioPushClient}; the same settings and defaults as push-sdk-nio's {@code PushClient}. */
  public static final class Builder {
    String apiUrl;
    String appSecret;
    String host;
    int port;
    List<BindingCredentials> bindings = new ArrayList<BindingCredentials>();
    List<ConnectorEndpoint> connectors = Collections.emptyList();
    PushListener listener = new PushListener() {};
    DedupStore dedupStore;
    CursorStore cursorStore;
    String platform = "other";
    long heartbeatIntervalMs = 60000;
    long pongTimeoutMs = 10000;
    long connectTimeoutMs = 10000;
    long backoffBaseMs = 500;
    long backoffMaxMs = 30000;
    double backoffJitter = 0.5;
    int maxFrameLength = 4 * 1024 * 1024;

    Builder() {}

    public Builder apiUrl(String apiUrl) {
      this.apiUrl = apiUrl;
      return this;
    }

    public Builder appSecret(String appSecret) {
      this.appSecret = appSecret;
      return this;
    }

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

    /** One binding; replaces any set before. */
    public Builder credentials(String appId, String regId, String token) {
      BindingCredentials binding = new BindingCredentials(appId, regId, token);
      bindings.clear();
      bindings.add(binding);
      return this;
    }

    /** Adds an app to the connection (repeatable); the same app id and reg id again replaces the token. */
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

    public Builder dedupStore(DedupStore dedupStore) {
      this.dedupStore = dedupStore;
      return this;
    }

    public Builder cursorStore(CursorStore cursorStore) {
      this.cursorStore = cursorStore;
      return this;
    }

    /** Sent in CONNECT: other (default), android, ios or web. */
    public Builder platform(String platform) {
      this.platform = platform;
      return this;
    }

    public Builder heartbeatInterval(long amount, TimeUnit unit) {
      this.heartbeatIntervalMs = positive(unit.toMillis(amount), "heartbeatInterval");
      return this;
    }

    public Builder pongTimeout(long amount, TimeUnit unit) {
      this.pongTimeoutMs = positive(unit.toMillis(amount), "pongTimeout");
      return this;
    }

    public Builder connectTimeout(long amount, TimeUnit unit) {
      this.connectTimeoutMs = positive(unit.toMillis(amount), "connectTimeout");
      return this;
    }

    public Builder reconnectBackoff(long baseMs, long maxMs) {
      if (baseMs < 1 || maxMs < baseMs) {
        throw new IllegalArgumentException("need 1 <= base <= max");
      }
      this.backoffBaseMs = baseMs;
      this.backoffMaxMs = maxMs;
      return this;
    }

    public Builder reconnectJitter(double fraction) {
      if (fraction < 0 || fraction > 1) {
        throw new IllegalArgumentException("jitter must be within [0, 1]");
      }
      this.backoffJitter = fraction;
      return this;
    }

    public Builder maxFrameLength(int bytes) {
      this.maxFrameLength = (int) positive(bytes, "maxFrameLength");
      return this;
    }

    /** @throws IllegalStateException without a binding or a way to find a connector */
    public AioPushClient build() {
      if (bindings.isEmpty()) {
        throw new IllegalStateException("credentials(appId, regId, token), binding(..) or registration(..) is required");
      }
      if (host == null && connectors.isEmpty() && (apiUrl == null || appSecret == null)) {
        throw new IllegalStateException(
            "no way to find a connector: set endpoint(host, port), registration(..) with connectors,"
                + " or apiUrl(..) with appSecret(..) for route lookups");
      }
      return new AioPushClient(this);
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
      b.platform = platform == null ? "other" : platform;
      b.heartbeatIntervalMs = heartbeatIntervalMs;
      b.pongTimeoutMs = pongTimeoutMs;
      b.connectTimeoutMs = connectTimeoutMs;
      b.backoffBaseMs = backoffBaseMs;
      b.backoffMaxMs = backoffMaxMs;
      b.backoffJitter = backoffJitter;
      b.maxFrameLength = maxFrameLength;
      return b;
    }

    private static long positive(long value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
