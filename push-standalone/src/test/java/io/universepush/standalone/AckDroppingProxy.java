package io.universepush.standalone;

import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameDecoder;
import io.universepush.protocol.FrameEncoder;
import io.universepush.protocol.FrameInputStream;
import io.universepush.protocol.Signal;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between a device and its connector that can lose the device's acks on the way, as a flaky mobile network
 * does: the connector then sees a delivery that was written but never acknowledged. Everything else passes through.
 */
final class AckDroppingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicBoolean droppingAcks = new AtomicBoolean();
  private final AtomicInteger droppedAcks = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  AckDroppingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "ack-dropping-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  void dropAcks(boolean drop) {
    droppingAcks.set(drop);
  }

  int droppedAcks() {
    return droppedAcks.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket device = server.accept();
        Socket connector = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(device);
        sockets.add(connector);
        start(() -> copyFrames(device, connector), "proxy-upstream");
        start(() -> copyBytes(connector, device), "proxy-downstream");
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Device to connector, frame by frame, so that PUB_ACK frames can be dropped whole. */
  private void copyFrames(Socket from, Socket to) {
    try (from;
        to) {
      FrameInputStream frames = new FrameInputStream(from.getInputStream(), FrameDecoder.DEFAULT_MAX_BODY_LENGTH);
      OutputStream out = to.getOutputStream();
      Frame frame;
      while ((frame = frames.readOrNull()) != null) {
        if (frame.signal() == Signal.PUB_ACK && droppingAcks.get()) {
          droppedAcks.incrementAndGet();
          continue;
        }
        out.write(FrameEncoder.encode(frame));
      }
    } catch (Exception e) {
      // Either side closed: the pair goes down together, as a real connection does.
    }
  }

  private static void copyBytes(Socket from, Socket to) {
    try (from;
        to) {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // Either side closed.
    }
  }

  private static void start(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
