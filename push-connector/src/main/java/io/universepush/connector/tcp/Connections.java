package io.universepush.connector.tcp;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.connection.DeviceConnection;
import io.universepush.connector.connection.DeviceConnections;
import io.universepush.connector.system.ConnectorProperties;
import io.universepush.protocol.DisconnectReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/** Every open device connection of this node, up to {@code max-connections}: the node's load figure. */
@Component
public class Connections {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final ChannelGroup channels = new DefaultChannelGroup("devices", GlobalEventExecutor.INSTANCE);

  public Connections(ConnectorProperties properties, ConnectorMetrics metrics) {
    this.max = properties.maxConnections();
    metrics.gauge("push.connector.connections", "Open device connections", open::get);
  }

  /** Admits a new connection; false when the node is full (the caller closes it). */
  public boolean tryOpen(Channel channel) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return false;
    }
    channels.add(channel);
    channel.closeFuture().addListener(f -> open.decrementAndGet());
    return true;
  }

  public int count() {
    return open.get();
  }

  /**
   * Tells every client the server is going away (DISCONNECT SERVER_SHUTDOWN, with the connectors to reconnect to for
   * the listener it came through), then waits for the closes.
   */
  void closeAll(Duration timeout, Function<Channel, List<String>> redirectOf) {
    for (Channel channel : channels) {
      List<String> redirect = redirectOf.apply(channel);
      channel
          .eventLoop()
          .execute(
              () -> {
                DeviceConnection connection = DeviceConnections.of(channel);
                if (connection == null) {
                  channel.close();
                } else {
                  connection.execute(
                      session ->
                          session.end(DisconnectReason.SERVER_SHUTDOWN, "server shutting down", redirect));
                }
              });
    }
    channels.newCloseFuture().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
    channels.close().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
