package io.universepush.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.FrameReader;
import io.universepush.protocol.ProtocolException;
import io.universepush.protocol.ProtocolVersion;
import io.universepush.protocol.Signal;
import io.universepush.protocol.legacy.LegacyBodies;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One client process of a storm: opens {@code --count} connections from one source address at once, on one selector
 * thread (a thread per device, as the SDK has, would not fit 19,000 devices on two cores), sends each one's SUB (v2)
 * or CONNECT (v3) and times the answer. No retries: a connection closed before its answer counts as refused. Prints
 * one JSON line with the outcome, then keeps the connections open until its standard input closes, so the connector
 * can be measured while it holds them.
 */
@Command(name = "storm-client", hidden = true, description = "One client process of the storm scenario (internal).")
final class StormClient implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", required = true)
  int port;

  @Option(names = "--source", defaultValue = "127.0.0.1", description = "Local address the sockets bind to.")
  String source;

  @Option(names = "--first", defaultValue = "0", description = "Index of this process's first device.")
  int first;

  @Option(names = "--count", required = true)
  int count;

  @Option(names = "--kind", defaultValue = "legacy", description = "legacy (v2 SUB) or v3 (CONNECT).")
  String kind;

  @Option(names = "--credentials", description = "v3: file of 'app_id reg_id token' lines, one per device.")
  Path credentials;

  @Option(names = "--uid-prefix", defaultValue = "storm-")
  String uidPrefix;

  @Option(names = "--start-at", description = "Epoch millis at which to start connecting (all processes together).")
  long startAt;

  @Option(names = "--timeout-ms", defaultValue = "60000")
  long timeoutMs;

  private static final class Device {
    final int index;
    final FrameReader reader = new FrameReader(64 * 1024);
    long startedAt;
    boolean done;

    Device(int index) {
      this.index = index;
    }
  }

  private int authenticated;
  private int refused;
  private int rejected;
  private int connectFailed;
  private final List<Long> latencies = new ArrayList<>();
  private long lastAuthAt;

  @Override
  public Integer call() throws Exception {
    List<String[]> creds = new ArrayList<>();
    if ("v3".equals(kind)) {
      for (String line : Files.readAllLines(credentials)) {
        if (!line.isBlank()) {
          creds.add(line.trim().split("\\s+"));
        }
      }
    }
    Selector selector = Selector.open();
    InetSocketAddress target = new InetSocketAddress(host, port);
    long wait = startAt - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
    long begin = System.currentTimeMillis();
    List<SocketChannel> channels = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Device device = new Device(first + i);
      device.startedAt = System.nanoTime();
      try {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.bind(new InetSocketAddress(source, 0));
        channels.add(channel);
        if (channel.connect(target)) {
          channel.register(selector, SelectionKey.OP_READ, device);
          send(channel, device, creds);
        } else {
          channel.register(selector, SelectionKey.OP_CONNECT, device);
        }
      } catch (IOException e) {
        connectFailed++;
      }
      if ((i & 255) == 255) {
        // Keep accepting answers while the rest of the sockets open.
        poll(selector, creds, 0);
      }
    }
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (authenticated + refused + rejected + connectFailed < count && System.currentTimeMillis() < deadline) {
      poll(selector, creds, 100);
    }
    int timedOut = count - authenticated - refused - rejected - connectFailed;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("source", source);
    result.put("devices", count);
    result.put("authenticated", authenticated);
    result.put("refused", refused);
    result.put("rejected", rejected);
    result.put("connectFailed", connectFailed);
    result.put("timedOut", timedOut);
    result.put("beganAtMs", begin);
    result.put("lastAuthAtMs", lastAuthAt);
    result.put("latenciesMs", latencies);
    System.out.println(new ObjectMapper().writeValueAsString(result));
    System.out.flush();
    // Hold the connections (answering nothing: the measurement takes less than an idle timeout) until told to go.
    Thread reader =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // until end of input
                }
              } catch (IOException ignored) {
                // parent gone
              }
            });
    reader.setDaemon(true);
    reader.start();
    while (reader.isAlive()) {
      poll(selector, creds, 200);
    }
    for (SocketChannel channel : channels) {
      channel.close();
    }
    return 0;
  }

  private void poll(Selector selector, List<String[]> creds, long timeout) throws IOException {
    if (timeout == 0) {
      selector.selectNow();
    } else {
      selector.select(timeout);
    }
    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
    while (keys.hasNext()) {
      SelectionKey key = keys.next();
      keys.remove();
      SocketChannel channel = (SocketChannel) key.channel();
      Device device = (Device) key.attachment();
      try {
        if (key.isValid() && key.isConnectable()) {
          channel.finishConnect();
          key.interestOps(SelectionKey.OP_READ);
          send(channel, device, creds);
        } else if (key.isValid() && key.isReadable()) {
          read(key, channel, device);
        }
      } catch (IOException e) {
        key.cancel();
        channel.close();
        if (!device.done) {
          device.done = true;
          if (e.getMessage() != null && e.getMessage().contains("Connection refused")) {
            connectFailed++;
          } else {
            refused++;
          }
        }
      }
    }
  }

  private void send(SocketChannel channel, Device device, List<String[]> creds) throws IOException {
    Frame frame;
    if ("v3".equals(kind)) {
      String[] c = creds.get(device.index);
      frame =
          Frame.v3(
              Signal.CONNECT,
              0,
              1,
              Connect.newBuilder()
                  .addBindings(Binding.newBuilder().setAppId(c[0]).setRegId(c[1]).setToken(c[2]))
                  .setPlatform("android")
                  .setHeartbeatIntervalMs(600_000)
                  .setClientVersion("push-bench")
                  .build());
    } else {
      frame = LegacyBodies.subRequest(ProtocolVersion.V2, 1, uidPrefix + device.index);
    }
    ByteBuffer out = ByteBuffer.wrap(FrameEncoder.encode(frame));
    while (out.hasRemaining()) {
      if (channel.write(out) == 0) {
        throw new IOException("socket buffer full on a fresh connection");
      }
    }
  }

  private void read(SelectionKey key, SocketChannel channel, Device device) throws IOException {
    int n = channel.read(device.reader.readBuffer());
    if (n < 0) {
      throw new IOException("closed by the server");
    }
    Frame frame;
    try {
      while ((frame = device.reader.next()) != null) {
        if (device.done) {
          continue;
        }
        boolean ok;
        if (frame.signal() == Signal.SUB) {
          ok = LegacyBodies.parseSubResponse(frame).status() == 200;
        } else if (frame.signal() == Signal.CONNECT_ACK) {
          ok = ConnectAck.parseFrom(frame.body()).getResult() == ConnectResult.ACCEPTED.code();
        } else {
          continue;
        }
        device.done = true;
        if (ok) {
          authenticated++;
          lastAuthAt = System.currentTimeMillis();
          latencies.add((System.nanoTime() - device.startedAt) / 1_000_000);
        } else {
          rejected++;
        }
      }
    } catch (ProtocolException e) {
      throw new IOException("bad frame: " + e.getMessage());
    }
  }
}
