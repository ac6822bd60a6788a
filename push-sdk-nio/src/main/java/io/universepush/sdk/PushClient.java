package io.universepush.sdk;

import io.universepush.sdk.internal.ClientBuilder;
import io.universepush.sdk.internal.ClientConfig;
import io.universepush.sdk.internal.ClientConnection;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A device's connection to Universe Push: authenticates with its credentials, keeps the connection alive with
 * heartbeats, hands each push to the {@link PushListener} once, acknowledges every push, and reconnects with
 * exponential back-off whenever the connection drops, until {@link #close()}.
 *
 * <pre>{@code
 * // Once, then keep reg id and token: DeviceRegistrar.registerWithAppId(apiUrl, appId, "android", null, null)
 * PushClient client = PushClient.builder()
 *     .apiUrl("https://push.example.com") // route lookups with the device's token; or .endpoint(host, port)
 *     .credentials(appId, regId, token)   // or .binding(appId, regId, token) once per app on the phone
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
public final class PushClient extends GroupMessaging implements Closeable {
  private static final String CLIENT_VERSION = "universe-push-sdk-nio/0.1";
  /** How long close() waits for the I/O thread; it can be inside a blocking route lookup or DNS query. */
  private static final long CLOSE_WAIT_MS = 5000;

  private final ClientConfig config;
  private NioConnectionLoop loop;
  private Thread thread;
  private boolean closed;

  private PushClient(ClientConfig config) {
    this.config = config;
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
    thread = new Thread(loop, "universe-push-" + config.firstRegId());
    thread.setDaemon(true);
    thread.start();
  }

  private NioConnectionLoop newLoop() throws IOException {
    return new NioConnectionLoop(config, CLIENT_VERSION);
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

  @Override
  protected synchronized ClientConnection currentConnection() {
    return loop;
  }

  @Override
  protected ClientConfig config() {
    return config;
  }

  public synchronized ConnectionState state() {
    if (loop == null) {
      return closed ? ConnectionState.CLOSED : ConnectionState.NEW;
    }
    return loop.state();
  }

  /** Configures a {@link PushClient}. Every setting but the credentials and a way to find a connector has a default. */
  public static final class Builder extends ClientBuilder<Builder> {
    Builder() {
      super("android");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** How often to PING; default 60 s. The server may answer with another interval, which the client then keeps. */
    public Builder heartbeatInterval(long millis) {
      return heartbeatInterval(millis, TimeUnit.MILLISECONDS);
    }

    /** How long to wait for the answer to a PING before calling the connection dead; default 10 s. */
    public Builder pongTimeout(long millis) {
      return pongTimeout(millis, TimeUnit.MILLISECONDS);
    }

    /** Limit from the start of an attempt to CONNECT_ACK (TCP connect included); default 10 s. */
    public Builder connectTimeout(long millis) {
      return connectTimeout(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * @throws IllegalStateException when credentials are missing or there is no way to find a connector (no
     *     endpoint, no registration connectors, no apiUrl)
     */
    public PushClient build() {
      return new PushClient(config());
    }
  }
}
