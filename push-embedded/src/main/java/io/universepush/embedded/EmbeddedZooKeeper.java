package io.universepush.embedded;

import java.io.IOException;
import org.apache.curator.test.TestingServer;

/** A real ZooKeeper server in this process, for standalone mode and tests. */
public final class EmbeddedZooKeeper implements AutoCloseable {
  private final TestingServer server;

  private EmbeddedZooKeeper(TestingServer server) {
    this.server = server;
  }

  /** Starts on the port, or on a free one when the port is 0. */
  public static EmbeddedZooKeeper start(int port) {
    try {
      TestingServer server = port > 0 ? new TestingServer(port, true) : new TestingServer(true);
      return new EmbeddedZooKeeper(server);
    } catch (Exception e) {
      throw new IllegalStateException("embedded ZooKeeper did not start on port " + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** host:port for clients. */
  public String connectString() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Stops the server as a crash would, keeping its data, so tests can restart it. */
  public void stop() throws IOException {
    server.stop();
  }

  public void restart() throws Exception {
    server.restart();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new IllegalStateException("embedded ZooKeeper did not close", e);
    }
  }
}
