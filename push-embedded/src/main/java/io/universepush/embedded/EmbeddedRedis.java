package io.universepush.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real redis-server process (the binary shipped inside embedded-redis), bound to loopback, owned by this process.
 */
public final class EmbeddedRedis implements AutoCloseable {
  private final int port;
  /** Null: in memory only. */
  private final Path dataDir;
  private RedisServer server;

  private EmbeddedRedis(int port, Path dataDir) {
    this.port = port;
    this.dataDir = dataDir;
  }

  /** Starts on the port, or on a free one when the port is 0. Data lives in memory only. */
  public static EmbeddedRedis start(int port) {
    EmbeddedRedis redis = new EmbeddedRedis(port > 0 ? port : freePort(), null);
    redis.startServer();
    return redis;
  }

  /**
   * Starts with an append-only file in {@code dataDir}, fsynced on every write, so that whatever a service
   * acknowledged survives {@link #stop()} and {@link #restart()}.
   */
  public static EmbeddedRedis startPersistent(int port, Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the Redis data folder " + dataDir + ": " + e.getMessage(), e);
    }
    EmbeddedRedis redis = new EmbeddedRedis(port > 0 ? port : freePort(), dataDir.toAbsolutePath());
    redis.startServer();
    return redis;
  }

  private void startServer() {
    try {
      var builder =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("maxmemory-policy noeviction");
      if (dataDir == null) {
        builder.setting("appendonly no");
      } else {
        builder
            .setting("dir \"" + dataDir + "\"")
            .setting("appendonly yes")
            .setting("appendfsync always");
      }
      server = builder.build();
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

  /** Stops the server, to test how services behave without Redis; in-memory data is lost, persistent data kept. */
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
