package io.universepush.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real redis-server process (the binary shipped inside embedded-redis), bound to loopback, owned by this process.
 */
public final class EmbeddedRedis implements AutoCloseable {
  private final int port;
  private RedisServer server;

  private EmbeddedRedis(int port) {
    this.port = port;
  }

  /** Starts on the port, or on a free one when the port is 0. */
  public static EmbeddedRedis start(int port) {
    EmbeddedRedis redis = new EmbeddedRedis(port > 0 ? port : freePort());
    redis.startServer();
    return redis;
  }

  private void startServer() {
    try {
      server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("appendonly no")
              .setting("maxmemory-policy noeviction")
              .build();
      server.start();
    } catch (IOException e) {
      throw new IllegalStateException("embedded Redis did not start on port " + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  /** redis://127.0.0.1:port for Redisson. */
  public String address() {
    return "redis://127.0.0.1:" + port;
  }

  public boolean isActive() {
    return server != null && server.isActive();
  }

  /** Stops the server (data is lost: no persistence), to test how services behave without Redis. */
  public void stop() {
    if (server != null) {
      try {
        server.stop();
      } catch (IOException e) {
        throw new IllegalStateException("embedded Redis did not stop", e);
      }
    }
  }

  /** Starts again on the same port after {@link #stop()}. */
  public void restart() {
    stop();
    startServer();
  }

  @Override
  public void close() {
    stop();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
