package io.universepush.connector;

import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.FrameInputStream;
import io.universepush.protocol.ProtocolException;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Ack;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.Disconnect;
import io.universepush.protocol.proto.Ping;
import io.universepush.protocol.proto.Push;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A device speaking raw bytes over a blocking socket, with push-protocol's codec: what goes over the wire is exact. */
final class TestClient implements AutoCloseable {
  private static final int READ_TIMEOUT_MS = 10_000;

  private final Socket socket;
  private final FrameInputStream frames;
  private final OutputStream out;

  TestClient(int port) throws IOException {
    this(new Socket("127.0.0.1", port));
  }

  /** Over a socket already connected, e.g. an {@code SSLSocket}. */
  TestClient(Socket connected) throws IOException {
    socket = connected;
    socket.setSoTimeout(READ_TIMEOUT_MS);
    socket.setTcpNoDelay(true);
    frames = new FrameInputStream(socket.getInputStream(), 16 * 1024 * 1024);
    out = socket.getOutputStream();
  }

  void send(Frame frame) throws IOException {
    sendRaw(FrameEncoder.encode(frame));
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame; fails on timeout or when the server closed the connection. */
  Frame read() throws IOException {
    Frame frame = readOrNull();
    if (frame == null) {
      throw new IOException("connection closed by the server");
    }
    return frame;
  }

  /** The next frame, or null when the server closed the connection. */
  Frame readOrNull() throws IOException {
    try {
      return frames.readOrNull();
    } catch (ProtocolException e) {
      throw new IOException("server sent an invalid frame", e);
    }
  }

  /** The next frame of this signal, skipping others (e.g. PUSHes while waiting for a PING answer). */
  Frame readUntil(Signal signal) throws IOException {
    while (true) {
      Frame frame = read();
      if (frame.signal() == signal) {
        return frame;
      }
    }
  }

  /** True once the server closed the connection (reads up to the end, dropping frames). */
  boolean awaitClosed() throws IOException {
    try {
      while (readOrNull() != null) {
        // drain
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // A reset counts as closed too.
      return true;
    }
  }

  // --- version 3 conveniences

  static Binding binding(String appId, String regId, String token) {
    return Binding.newBuilder().setAppId(appId).setRegId(regId).setToken(token).build();
  }

  ConnectAck connect(int messageId, Binding... bindings) throws IOException {
    send(
        Frame.v3(
            Signal.CONNECT,
            0,
            messageId,
            Connect.newBuilder().addAllBindings(Arrays.asList(bindings)).setPlatform("android").build()));
    Frame frame = read();
    if (frame.signal() != Signal.CONNECT_ACK) {
      throw new IOException("expected CONNECT_ACK, got " + frame);
    }
    ConnectAck ack = ConnectAck.parseFrom(frame.body());
    if (ack.getResult() != frame.subSignal()) {
      throw new IOException("CONNECT_ACK sub-signal " + frame.subSignal() + " but body result " + ack.getResult());
    }
    return ack;
  }

  /** Connects and requires acceptance. */
  ConnectAck connectAccepted(Binding... bindings) throws IOException {
    ConnectAck ack = connect(1, bindings);
    if (ack.getResult() != ConnectResult.ACCEPTED.code()) {
      throw new IOException("connection refused: " + ack);
    }
    return ack;
  }

  void ack(List<String> msgIds) throws IOException {
    send(Frame.v3(Signal.PUB_ACK, 0, 0, Ack.newBuilder().addAllMsgIds(msgIds).build()));
  }

  /** DISCONNECT from the client; {@code clearSession}: log out. */
  void disconnect(boolean clearSession) throws IOException {
    send(
        Frame.v3(
            Signal.DISCONNECT,
            0,
            0,
            Disconnect.newBuilder().setReasonCode(0).setReason("bye").setClearSession(clearSession).build()));
  }

  /**
   * Every PUSH the server writes until it answers a PING sent now: the frames it wrote before handling the PING.
   * A way to check that something was not written, without waiting for a time.
   */
  List<Push> pushesUntilPong(int messageId) throws IOException {
    ping(messageId, 0);
    List<Push> pushes = new ArrayList<>();
    while (true) {
      Frame frame = read();
      if (frame.signal() == Signal.PING && frame.messageId() == messageId) {
        return pushes;
      }
      if (frame.signal() == Signal.PUSH) {
        pushes.add(Push.parseFrom(frame.body()));
      }
    }
  }

  /** The next PUSH. */
  Push readPush() throws IOException {
    return Push.parseFrom(readUntil(Signal.PUSH).body());
  }

  void ping(int messageId, int intervalMs) throws IOException {
    send(Frame.v3(Signal.PING, 0, messageId, Ping.newBuilder().setIntervalMs(intervalMs).build()));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
