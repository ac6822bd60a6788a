package io.universepush.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import redis.embedded.RedisServer;

/**
 * A Redis Cluster of masters without replicas: one redis-server process (embedded-redis's binary) per node, each with
 * {@code cluster-enabled yes} and its own {@code cluster-config-file} in a temporary folder, joined by {@code CLUSTER
 * MEET}, the 16384 slots split evenly by {@code CLUSTER ADDSLOTS}. {@link #start(int)} returns once every node reports
 * {@code cluster_state:ok}; {@link #close()} stops every process and deletes the folder, and a JVM shutdown hook
 * stops them too should a test runner never call it.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
  private static final int SLOTS = 16384;
  private static final int SLOTS_PER_COMMAND = 1024;
  /** Redis 6.2 puts a node's cluster bus at its port + 10000 ({@code cluster-port} came with 7.0). */
  private static final int BUS_OFFSET = 10000;
  private static final long READY_TIMEOUT_MS = 30_000;

  private final Path dir;
  private final List<RedisServer> servers = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  private EmbeddedRedisCluster(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code masters} nodes (at least 3, Redis Cluster's minimum) on free ports and waits until it serves. */
  public static EmbeddedRedisCluster start(int masters) {
    if (masters < 3) {
      throw new IllegalArgumentException("a Redis Cluster needs at least 3 masters, not " + masters);
    }
    EmbeddedRedisCluster cluster;
    try {
      cluster = new EmbeddedRedisCluster(Files.createTempDirectory("redis-cluster"));
    } catch (IOException e) {
      throw new UncheckedIOException("no folder for the Redis Cluster's node files", e);
    }
    try {
      cluster.startNodes(masters);
      cluster.join();
      cluster.awaitOk();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private void startNodes(int masters) {
    for (int i = 0; i < masters; i++) {
      int port = freePortWithBus();
      Path nodeDir = dir.resolve("node-" + port);
      try {
        Files.createDirectories(nodeDir);
        RedisServer server =
            RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("dir \"" + nodeDir + "\"")
                .setting("cluster-enabled yes")
                .setting("cluster-config-file nodes-" + port + ".conf")
                .setting("cluster-node-timeout 5000")
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("maxmemory-policy noeviction")
                .onShutdownForceStop(true)
                .build();
        servers.add(server);
        ports.add(port);
        server.start();
      } catch (IOException e) {
        throw new IllegalStateException("Redis Cluster node did not start on port " + port + ": " + e.getMessage(), e);
      }
    }
  }

  private void join() {
    int first = ports.get(0);
    for (int port : ports.subList(1, ports.size())) {
      expectOk(command(first, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(port)));
    }
    int nodes = ports.size();
    for (int i = 0; i < nodes; i++) {
      int from = SLOTS * i / nodes;
      int to = SLOTS * (i + 1) / nodes;
      for (int start = from; start < to; start += SLOTS_PER_COMMAND) {
        List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
        for (int slot = start; slot < Math.min(to, start + SLOTS_PER_COMMAND); slot++) {
          args.add(Integer.toString(slot));
        }
        expectOk(command(ports.get(i), args.toArray(String[]::new)));
      }
    }
  }

  private void awaitOk() {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    while (true) {
      boolean ok = true;
      for (int port : ports) {
        String info = String.valueOf(command(port, "CLUSTER", "INFO"));
        String known = "cluster_known_nodes:" + ports.size();
        ok &= info.contains("cluster_state:ok") && info.contains(known);
      }
      if (ok) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("Redis Cluster on " + ports + " did not reach cluster_state:ok");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Redis Cluster", e);
      }
    }
  }

  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** redis://127.0.0.1:port of every node, for Redisson's cluster config. */
  public List<String> addresses() {
    return ports.stream().map(port -> "redis://127.0.0.1:" + port).toList();
  }

  /** host:port,host:port,... as {@code universe.push.redis.cluster-nodes} takes it. */
  public String nodeList() {
    return ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  @Override
  public void close() {
    for (RedisServer server : servers) {
      try {
        server.stop();
      } catch (IOException | RuntimeException e) {
        // Keep stopping the others; the shutdown hook gets another try.
      }
    }
    servers.clear();
    deleteQuietly(dir);
  }

  /** Sends one command over a fresh connection and returns the reply (String, Long, List, or null). */
  static Object command(int port, String... args) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(bytes);
        request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write(request.toByteArray());
      out.flush();
      return readReply(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException("Redis on port " + port + " did not answer " + String.join(" ", args), e);
    }
  }

  private static Object readReply(InputStream in) throws IOException {
    int type = in.read();
    String line = readLine(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IllegalStateException("Redis error: " + line);
      case ':':
        return Long.parseLong(line);
      case '$':
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bulk = in.readNBytes(length);
        in.readNBytes(2);
        return new String(bulk, StandardCharsets.UTF_8);
      case '*':
        int count = Integer.parseInt(line);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          items.add(readReply(in));
        }
        return items;
      default:
        throw new IOException("unexpected RESP type " + (char) type);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\r') {
      if (b < 0) {
        throw new IOException("connection closed mid-reply");
      }
      line.write(b);
    }
    in.read();
    return line.toString(StandardCharsets.UTF_8);
  }

  private static void expectOk(Object reply) {
    if (!"OK".equals(reply)) {
      throw new IllegalStateException("Redis answered " + reply + " instead of OK");
    }
  }

  /** A free port whose cluster bus port (+10000) is free too. */
  private static int freePortWithBus() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20000, 65535 - BUS_OFFSET);
      if (isFree(port) && isFree(port + BUS_OFFSET)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port pair for a Redis Cluster node");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A temp folder left behind is harmless.
    }
  }
}
