package io.universepush.connector.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.universepush.connector.system.ConnectorProperties;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The device-facing TCP listener: epoll where available, NIO otherwise. Bound in two steps so the node's identity
 * (which includes the bound port) is known before the first connection is accepted: {@link #bind()}, then
 * {@link #acceptConnections()}.
 */
@Component
public class TcpServer {
  private static final Logger log = LoggerFactory.getLogger(TcpServer.class);
  public static final String TLS_LISTENER = "tls";
  /** The plain TCP listener's name, for {@link #stop(Function)}. */
  public static final String TCP_LISTENER = "tcp";

  private final ConnectorProperties properties;
  private final TcpChannelInitializer initializer;
  private final Connections connections;
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private volatile Channel serverChannel;
  private ServerBootstrap bootstrap;
  /** Further listeners by name ("tls", "websocket", "mqtt"), in binding order. */
  private final Map<String, Channel> extraChannels = new ConcurrentHashMap<>();

  public TcpServer(ConnectorProperties properties, TcpChannelInitializer initializer, Connections connections) {
    this.properties = properties;
    this.initializer = initializer;
    this.connections = connections;
  }

  /** Binds the port without accepting yet. Returns the bound port (useful with tcp-port 0). */
  public synchronized int bind() {
    if (serverChannel != null) {
      return port();
    }
    boolean epoll = Epoll.isAvailable();
    Class<? extends ServerChannel> channelType;
    if (epoll) {
      bossGroup = new EpollEventLoopGroup(1, new DefaultThreadFactory("connector-tcp-accept"));
      workerGroup = new EpollEventLoopGroup(properties.ioThreads(), new DefaultThreadFactory("connector-tcp-io"));
      channelType = EpollServerSocketChannel.class;
    } else {
      bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("connector-tcp-accept"));
      workerGroup = new NioEventLoopGroup(properties.ioThreads(), new DefaultThreadFactory("connector-tcp-io"));
      channelType = NioServerSocketChannel.class;
    }
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            // Accepting starts with acceptConnections(), once the node knows its identity.
            .option(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(
                    (int) properties.writeBufferLowWaterMark().toBytes(),
                    (int) properties.writeBufferHighWaterMark().toBytes()))
            .childHandler(initializer);
    try {
      serverChannel = bootstrap.bind(properties.tcpPort()).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      shutdownGroups(Duration.ZERO);
      throw new IllegalStateException("cannot listen on TCP port " + properties.tcpPort() + ": " + e.getMessage(), e);
    }
    log.info("device TCP listener bound on port {} ({})", port(), epoll ? "epoll" : "nio");
    this.bootstrap = bootstrap;
    return port();
  }

  /**
   * Binds a further listener on the same event loops and options, whose connections start with {@code initializer}
   * (TLS, WebSocket or MQTT in front of the device pipeline). Call after {@link #bind()}; it accepts with
   * {@link #acceptConnections()}. Returns the bound port.
   */
  public synchronized int bindListener(String name, int port, ChannelHandler initializer) {
    if (bootstrap == null) {
      throw new IllegalStateException("bind the plain TCP port first");
    }
    if (extraChannels.containsKey(name)) {
      throw new IllegalStateException("a " + name + " listener is already bound");
    }
    try {
      extraChannels.put(name, bootstrap.clone().childHandler(initializer).bind(port).syncUninterruptibly().channel());
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot listen on " + name + " port " + port + ": " + e.getMessage(), e);
    }
    return listenerPort(name);
  }

  public void acceptConnections() {
    serverChannel.config().setAutoRead(true);
    extraChannels.values().forEach(channel -> channel.config().setAutoRead(true));
  }

  /** The bound port of the named listener, or 0 when there is none. */
  public int listenerPort(String name) {
    Channel channel = extraChannels.get(name);
    return channel == null ? 0 : ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The bound TLS port, or 0 without a TLS listener. */
  public int tlsPort() {
    return listenerPort(TLS_LISTENER);
  }

  /** The bound TCP port, or -1 before {@link #bind()}. */
  public int port() {
    Channel channel = serverChannel;
    return channel == null ? -1 : ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Stops accepting, sends every client DISCONNECT SERVER_SHUTDOWN, waits for them, stops the event loops. */
  public void stop() {
    stop(listener -> List.of());
  }

  /**
   * As {@link #stop()}, the DISCONNECT naming where to reconnect: {@code redirectFor} maps a listener's name ({@link
   * #TCP_LISTENER}, "tls", "websocket", ...) to the "host:port"s of other nodes' same listener, best first.
   */
  public synchronized void stop(Function<String, List<String>> redirectFor) {
    if (serverChannel == null) {
      return;
    }
    Map<Channel, String> listeners = new HashMap<>();
    listeners.put(serverChannel, TCP_LISTENER);
    extraChannels.forEach((name, channel) -> listeners.put(channel, name));
    Map<String, List<String>> redirects = new HashMap<>();
    serverChannel.close().awaitUninterruptibly();
    extraChannels.values().forEach(channel -> channel.close().awaitUninterruptibly());
    extraChannels.clear();
    connections.closeAll(
        properties.shutdownTimeout(),
        channel -> {
          String listener = listeners.getOrDefault(channel.parent(), TCP_LISTENER);
          return redirects.computeIfAbsent(listener, redirectFor);
        });
    shutdownGroups(properties.shutdownTimeout());
    serverChannel = null;
  }

  private void shutdownGroups(Duration timeout) {
    long ms = timeout.toMillis();
    if (bossGroup != null) {
      bossGroup.shutdownGracefully(0, ms, TimeUnit.MILLISECONDS).awaitUninterruptibly(ms + 1000);
    }
    if (workerGroup != null) {
      workerGroup.shutdownGracefully(0, ms, TimeUnit.MILLISECONDS).awaitUninterruptibly(ms + 1000);
    }
  }
}
