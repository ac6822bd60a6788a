package io.universepush.sdk.aio;

import io.universepush.sdk.ConnectionState;
import io.universepush.sdk.GroupMessaging;
import io.universepush.sdk.internal.ClientBuilder;
import io.universepush.sdk.internal.ClientConfig;
import io.universepush.sdk.internal.ClientConnection;
import java.io.Closeable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The push-sdk-nio client on {@link java.nio.channels.AsynchronousSocketChannel}: same protocol session, back-off,
 * de-duplication, fan-out positions, listener and builder, for servers and desktop JVMs that prefer completion handlers
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
public final class AioPushClient extends GroupMessaging implements Closeable {
  private static final String CLIENT_VERSION = "universe-push-sdk-aio/0.1";
  private static final long CLOSE_WAIT_MS = 5000;

  private final ClientConfig config;
  private AioConnection connection;
  private ScheduledThreadPoolExecutor loop;
  private boolean closed;

  private AioPushClient(ClientConfig config) {
    this.config = config;
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
    final String threadName = "universe-push-aio-" + config.firstRegId();
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
    connection = new AioConnection(config, CLIENT_VERSION, loop);
    connection.start();
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
      if (!Thread.currentThread().getName().equals("universe-push-aio-" + config.firstRegId())) {
        ioLoop.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  protected synchronized ClientConnection currentConnection() {
    return connection;
  }

  @Override
  protected ClientConfig config() {
    return config;
  }

  public synchronized ConnectionState state() {
    if (connection == null) {
      return closed ? ConnectionState.CLOSED : ConnectionState.NEW;
    }
    return connection.state();
  }

  /** Configures an {@link AioPushClient}; the same settings and defaults as push-sdk-nio's {@code PushClient}. */
  public static final class Builder extends ClientBuilder<Builder> {
    Builder() {
      super("other");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** @throws IllegalStateException without a binding or a way to find a connector */
    public AioPushClient build() {
      return new AioPushClient(config());
    }
  }
}
