package io.universepush.sdk.aio;

import io.universepush.sdk.ConnectionState;
import io.universepush.sdk.PublishFuture;
import io.universepush.sdk.internal.ClientBuilder;
import io.universepush.sdk.internal.ClientConfig;
import io.universepush.sdk.internal.ClientConnection;
import io.universepush.sdk.internal.PendingPublish;
import io.universepush.sdk.internal.Upstream;
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
public final class AioPushClient implements Closeable {
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

  /**
   * Sends a message to a group this device is a member of (PUBLISH sub-signal 1), from the client's only binding.
   * Every other member gets it as a {@link io.universepush.sdk.PushMessage} with {@code groupId()}, {@code from()}
   * and the group's {@code seq()}; the sender does not. The future completes with the server's answer (its {@code
   * seq()} and {@code msgId()} when accepted, else the refusal's code, e.g. {@code NOT_A_MEMBER}) or fails with a
   * {@link io.universepush.sdk.PublishException} when there is no answer: not connected (failed at once, never
   * queued for a later connection) or the connection ended first. Callable from any thread.
   *
   * @param ttlSeconds how long the message may wait for offline members; 0: online members only
   * @throws IllegalStateException when the client has several bindings (use the overload with the app id)
   */
  public PublishFuture sendToGroup(String groupId, String jsonPayload, long ttlSeconds) {
    return sendToGroup(null, groupId, jsonPayload, ttlSeconds);
  }

  /** {@link #sendToGroup(String, String, long)} from the binding of {@code appId}. */
  public PublishFuture sendToGroup(String appId, String groupId, String jsonPayload, long ttlSeconds) {
    return publish(PendingPublish.Kind.GROUP, appId, groupId, jsonPayload, ttlSeconds);
  }

  /**
   * Sends a message to one device of the same app (PUBLISH sub-signal 2), named by its reg id or alias; it gets it as
   * a push whose {@code from()} is this device. Answered as {@link #sendToGroup(String, String, long)} ({@code
   * RECIPIENT_NOT_FOUND} for an unknown one).
   */
  public PublishFuture sendTo(String regIdOrAlias, String jsonPayload, long ttlSeconds) {
    return sendTo(null, regIdOrAlias, jsonPayload, ttlSeconds);
  }

  /** {@link #sendTo(String, String, long)} from the binding of {@code appId}. */
  public PublishFuture sendTo(String appId, String regIdOrAlias, String jsonPayload, long ttlSeconds) {
    return publish(PendingPublish.Kind.SINGLE, appId, regIdOrAlias, jsonPayload, ttlSeconds);
  }

  /**
   * Makes this device a member of a group (PUBLISH sub-signal 3); its messages from then on follow. Answered as
   * {@link #sendToGroup(String, String, long)} ({@code GROUP_NOT_FOUND} for an unknown group).
   */
  public PublishFuture joinGroup(String groupId) {
    return joinGroup(null, groupId);
  }

  /** {@link #joinGroup(String)} for the binding of {@code appId}. */
  public PublishFuture joinGroup(String appId, String groupId) {
    return publish(PendingPublish.Kind.JOIN, appId, groupId, null, 0);
  }

  /**
   * Ends this device's membership of a group (PUBLISH sub-signal 4); once accepted the client forgets its position
   * in the group. Answered as {@link #sendToGroup(String, String, long)} ({@code NOT_A_MEMBER}).
   */
  public PublishFuture leaveGroup(String groupId) {
    return leaveGroup(null, groupId);
  }

  /** {@link #leaveGroup(String)} for the binding of {@code appId}. */
  public PublishFuture leaveGroup(String appId, String groupId) {
    return publish(PendingPublish.Kind.LEAVE, appId, groupId, null, 0);
  }

  private PublishFuture publish(
      PendingPublish.Kind kind, String appId, String target, String jsonPayload, long ttlSeconds) {
    ClientConnection current;
    synchronized (this) {
      current = connection;
    }
    return Upstream.publish(config, current, kind, appId, target, jsonPayload, ttlSeconds);
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
