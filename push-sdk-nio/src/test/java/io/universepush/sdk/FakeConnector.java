package io.universepush.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameDecoder;
import io.universepush.protocol.FrameInputStream;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.ProtocolException;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.GroupPosition;
import io.universepush.protocol.proto.GroupStart;
import io.universepush.protocol.proto.Pong;
import io.universepush.protocol.proto.PublishAck;
import io.universepush.protocol.proto.Push;
import io.universepush.protocol.proto.StreamPosition;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A connector stand-in on a real loopback socket: accepts connections and lets a test read and write protocol frames
 * on each, with push-protocol's own decoder and encoder. Blocking I/O; every read gives up after 10 s. With an
 * {@link SSLContext} it is a TLS listener; the handshake runs on a connection's first read or write.
 */
final class FakeConnector implements Closeable {
  private final ServerSocket server;
  private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<Connection>();
  private final List<Connection> all = new CopyOnWriteArrayList<Connection>();

  FakeConnector() throws IOException {
    this(null);
  }

  /** @param tls the server's TLS context; null for plain TCP */
  FakeConnector(SSLContext tls) throws IOException {
    server =
        tls == null
            ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
            : tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Connection connection = new Connection(server.accept());
                  all.add(connection);
                  accepted.add(connection);
                } catch (IOException e) {
                  return;
                }
              }
            },
            "fake-connector-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** The next connection a client opened. */
  Connection accept() throws InterruptedException {
    Connection connection = accepted.poll(10, TimeUnit.SECONDS);
    assertThat(connection).as("a client connection within 10 s").isNotNull();
    return connection;
  }

  /** The next connection, or null when none comes within {@code millis}. */
  Connection pollConnection(long millis) throws InterruptedException {
    return accepted.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** Accepts a connection, reads its CONNECT and accepts it as node {@code nodeId}. */
  Connection acceptAndAuthenticate(String nodeId) throws Exception {
    Connection connection = accept();
    connection.readConnect();
    connection.acceptConnect(nodeId);
    return connection;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Connection connection : all) {
      connection.close();
    }
  }

  /**
   * An accepted binding as the connector reports it: {@code recovered} when it continues from the client's position,
   * and the position it starts from.
   */
  static BindingResult accepted(String appId, String regId, boolean recovered, FanoutPosition position) {
    return BindingResult.newBuilder()
        .setAppId(appId)
        .setRegId(regId)
        .setResult(ConnectResult.ACCEPTED.code())
        .setRecovered(recovered)
        .setFanoutPosition(StreamPosition.newBuilder().setOffset(position.offset()).setEpoch(position.epoch()))
        .build();
  }

  /** {@code result} with the device's groups, each with where the connector starts it. */
  static BindingResult withGroups(BindingResult result, GroupStart... groups) {
    BindingResult.Builder builder = result.toBuilder();
    for (GroupStart group : groups) {
      builder.addGroups(group);
    }
    return builder.build();
  }

  static GroupStart group(String groupId, boolean recovered, FanoutPosition position) {
    return GroupStart.newBuilder()
        .setGroupId(groupId)
        .setRecovered(recovered)
        .setPosition(StreamPosition.newBuilder().setOffset(position.offset()).setEpoch(position.epoch()))
        .build();
  }

  /** The binding's group positions in a CONNECT, by group id, in the order sent. */
  static Map<String, FanoutPosition> groupPositionsIn(Connect connect, int binding) {
    Map<String, FanoutPosition> groups = new LinkedHashMap<String, FanoutPosition>();
    for (GroupPosition group : connect.getBindings(binding).getGroupPositionsList()) {
      groups.put(
          group.getGroupId(), new FanoutPosition(group.getPosition().getOffset(), group.getPosition().getEpoch()));
    }
    return groups;
  }

  /** The binding's position in a CONNECT, null when it carries none. */
  static FanoutPosition positionIn(Connect connect, int binding) {
    if (!connect.getBindings(binding).hasFanoutPosition()) {
      return null;
    }
    StreamPosition position = connect.getBindings(binding).getFanoutPosition();
    return new FanoutPosition(position.getOffset(), position.getEpoch());
  }

  /** One client connection, server side. */
  static final class Connection implements Closeable {
    private final Socket socket;
    private final FrameInputStream frames;
    private int pings;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      this.frames = new FrameInputStream(socket.getInputStream(), FrameDecoder.DEFAULT_MAX_BODY_LENGTH);
    }

    Frame read() throws IOException, ProtocolException {
      return frames.read();
    }

    Frame read(Signal expected) throws IOException, ProtocolException {
      Frame frame = read();
      assertThat(frame.signal()).as("signal of %s", frame).isEqualTo(expected);
      return frame;
    }

    /** True when the client closes its side before sending anything else. */
    boolean readsEndOfStream() throws IOException {
      try {
        Frame unexpected = read();
        throw new AssertionError("expected end of stream, got " + unexpected);
      } catch (EOFException e) {
        return true;
      } catch (ProtocolException e) {
        throw new AssertionError(e);
      }
    }

    Connect readConnect() throws Exception {
      return Connect.parseFrom(read(Signal.CONNECT).body());
    }

    void acceptConnect(String nodeId) throws IOException {
      ConnectAck ack =
          ConnectAck.newBuilder().setResult(ConnectResult.ACCEPTED.code()).setNodeId(nodeId).build();
      send(Frame.v3(Signal.CONNECT_ACK, ConnectResult.ACCEPTED.code(), 1, ack));
    }

    /** Accepts the connection and reports each binding's result, as a connector does for several apps. */
    void acceptConnect(String nodeId, List<BindingResult> bindings) throws IOException {
      ConnectAck ack =
          ConnectAck.newBuilder()
              .setResult(ConnectResult.ACCEPTED.code())
              .setNodeId(nodeId)
              .addAllBindings(bindings)
              .build();
      send(Frame.v3(Signal.CONNECT_ACK, ConnectResult.ACCEPTED.code(), 1, ack));
    }

    Disconnect readDisconnect() throws Exception {
      return Disconnect.parseFrom(read(Signal.DISCONNECT).body());
    }

    void push(Push push) throws IOException {
      send(Frame.v3(Signal.PUSH, 0, 0, push));
    }

    /** The next frame, which must be an upstream message (PUBLISH). */
    Frame readPublish() throws Exception {
      return read(Signal.PUBLISH);
    }

    /** Answers an upstream message as a connector does: PUB_ACK with its message id, the result as sub-signal. */
    void answer(Frame publish, PublishAck ack) throws IOException {
      send(Frame.v3(Signal.PUB_ACK, ack.getResult(), publish.messageId(), ack));
    }

    Ack readAck() throws Exception {
      return Ack.parseFrom(read(Signal.PUB_ACK).body());
    }

    /**
     * Sends a PING and returns what the client sent before answering it. The client handles frames in order, so the
     * answer proves everything sent earlier was processed: an ack missing from the result was not sent.
     */
    List<Frame> untilPong() throws Exception {
      int id = 0x7000 + (++pings);
      send(Frame.v3(Signal.PING, 0, id, null));
      List<Frame> before = new ArrayList<Frame>();
      while (true) {
        Frame frame = read();
        if (frame.signal() == Signal.PING && frame.subSignal() == 1 && frame.messageId() == id) {
          Pong.parseFrom(frame.body());
          return before;
        }
        before.add(frame);
      }
    }

    /** The acks among {@code frames}. */
    static List<Ack> acksIn(List<Frame> frames) throws Exception {
      List<Ack> acks = new ArrayList<Ack>();
      for (Frame frame : frames) {
        if (frame.signal() == Signal.PUB_ACK) {
          acks.add(Ack.parseFrom(frame.body()));
        }
      }
      return acks;
    }

    /**
     * Delivers {@code push} as a connector does: sends it, and sends it again with the next attempt number while no
     * ack for it comes back (checked with {@link #untilPong}), {@code maxAttempts} times at most. Returns the attempt
     * that was acknowledged, counting from the push's own.
     */
    int deliverUntilAcked(Push push, int maxAttempts) throws Exception {
      int first = Math.max(1, push.getAttempt());
      for (int attempt = first; attempt < first + maxAttempts; attempt++) {
        push(push.toBuilder().setAttempt(attempt).build());
        for (Ack ack : acksIn(untilPong())) {
          if (ack.getMsgIdsList().contains(push.getMsgId())) {
            return attempt;
          }
        }
      }
      throw new AssertionError(push.getMsgId() + " not acknowledged after " + maxAttempts + " attempts");
    }

    void send(Frame frame) throws IOException {
      sendRaw(FrameEncoder.encode(frame));
    }

    void sendRaw(byte[] bytes) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
