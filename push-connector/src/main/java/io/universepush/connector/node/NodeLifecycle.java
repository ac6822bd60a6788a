package io.universepush.connector.node;

import io.universepush.connector.mqtt.MqttListener;
import io.universepush.connector.system.BlockingTasks;
import io.universepush.connector.system.ConnectorProperties;
import io.universepush.connector.tcp.Connections;
import io.universepush.connector.tcp.TcpServer;
import io.universepush.connector.tls.TlsListener;
import io.universepush.connector.websocket.WebSocketListener;
import io.universepush.rpc.connector.ConnectorService;
import io.universepush.store.node.ConnectorNode;
import io.universepush.store.node.NodeDirectory;
import io.universepush.store.route.RouteStore;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.common.utils.NetUtils;
import org.apache.dubbo.config.spring.ServiceBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Brings the node into the cluster and takes it out again.
 *
 * <p>Start (application ready, so Dubbo has exported {@code ConnectorService}): read the bound Dubbo address, bind
 * the TCP port (and the TLS, WebSocket and MQTT ones when enabled), fix the node's identity, start accepting devices,
 * register in the node directory, follow it to clear departed nodes' routes ({@link DepartedNodes}), publish the
 * connection count every few seconds.
 *
 * <p>Stop (a drain): leave the directory first (no new devices are routed here, push-api stops calling this node),
 * stop accepting, DISCONNECT every client with SERVER_SHUTDOWN and a redirect to the other live nodes' same listener,
 * least loaded first, then drop the routes that still name this node. Nothing is handed back: unacknowledged unicast
 * pushes are still in their pending sets and fan-out entries after each client's position, so they reach the devices
 * where they reconnect.
 */
@Component
public class NodeLifecycle implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(NodeLifecycle.class);
  private static final int MAX_REDIRECTS = 3;

  private final ApplicationContext context;
  private final ConnectorProperties properties;
  private final TcpServer tcp;
  private final TlsListener tls;
  private final WebSocketListener webSocket;
  private final MqttListener mqtt;
  private final Connections connections;
  private final NodeDirectory directory;
  private final RouteStore routes;
  private final BlockingTasks blocking;
  private final LocalNode node;
  private final DepartedNodes departed;
  private ScheduledExecutorService loadReporter;
  private volatile boolean registered;
  private int lastReportedConnections = -1;

  public NodeLifecycle(
      ApplicationContext context,
      ConnectorProperties properties,
      TcpServer tcp,
      TlsListener tls,
      WebSocketListener webSocket,
      MqttListener mqtt,
      Connections connections,
      NodeDirectory directory,
      RouteStore routes,
      BlockingTasks blocking,
      LocalNode node,
      DepartedNodes departed) {
    this.context = context;
    this.properties = properties;
    this.tcp = tcp;
    this.tls = tls;
    this.webSocket = webSocket;
    this.mqtt = mqtt;
    this.connections = connections;
    this.directory = directory;
    this.routes = routes;
    this.blocking = blocking;
    this.node = node;
    this.departed = departed;
  }

  @EventListener
  public synchronized void onReady(ApplicationReadyEvent event) {
    if (event.getApplicationContext() != context || node.isStarted()) {
      return;
    }
    URL dubbo = exportedConnectorService();
    int tcpPort = tcp.bind();
    int tlsPort = tls.bind();
    int wsPort = webSocket.bind();
    int mqttPort = mqtt.bind();
    int mqttTlsPort = mqtt.bindTls();
    String host = blankToNull(properties.advertisedHost());
    if (host == null) {
      host = NetUtils.getLocalHost();
    }
    String nodeId = blankToNull(properties.nodeId());
    if (nodeId == null) {
      nodeId = host + ":" + tcpPort;
    }
    node.set(
        new NodeAddress(
            nodeId,
            host,
            tcpPort,
            dubbo.getHost(),
            dubbo.getPort(),
            System.currentTimeMillis(),
            tlsPort,
            wsPort,
            mqttPort,
            mqttTlsPort));
    tcp.acceptConnections();
    directory.register(describe(connections.count()));
    registered = true;
    departed.follow();
    loadReporter =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "connector-load-report");
              thread.setDaemon(true);
              return thread;
            });
    long interval = properties.loadReportInterval().toMillis();
    loadReporter.scheduleWithFixedDelay(this::reportLoad, interval, interval, TimeUnit.MILLISECONDS);
    log.info(
        "connector node {} up: devices on {}:{}{}, ConnectorService on {}:{}",
        nodeId,
        host,
        tcpPort,
        (tlsPort > 0 ? " (TLS " + tlsPort + ")" : "")
            + (wsPort > 0 ? " (WebSocket " + wsPort + ")" : "")
            + (mqttPort > 0 ? " (MQTT " + mqttPort + ")" : "")
            + (mqttTlsPort > 0 ? " (MQTT TLS " + mqttTlsPort + ")" : ""),
        dubbo.getHost(),
        dubbo.getPort());
  }

  /** The address Dubbo actually bound (the configured port may be -1, "any free port"). */
  private URL exportedConnectorService() {
    for (ServiceBean<?> bean : context.getBeansOfType(ServiceBean.class).values()) {
      if (!ConnectorService.class.equals(bean.getInterfaceClass())) {
        continue;
      }
      for (URL url : bean.getExportedUrls()) {
        if (url.getPort() > 0 && !"injvm".equals(url.getProtocol())) {
          return url;
        }
      }
    }
    throw new IllegalStateException("ConnectorService is not exported over the network; check dubbo.protocol");
  }

  private ConnectorNode describe(int connectionCount) {
    NodeAddress self = node.address();
    return new ConnectorNode(
        self.nodeId(),
        self.host(),
        self.tcpPort(),
        self.wsPort(),
        self.mqttPort(),
        self.dubboPort(),
        connectionCount,
        properties.weight(),
        self.startedAtMs(),
        self.tlsPort());
  }

  private void reportLoad() {
    int count = connections.count();
    if (count == lastReportedConnections || !registered) {
      return;
    }
    try {
      directory.update(describe(count));
      lastReportedConnections = count;
    } catch (RuntimeException e) {
      log.warn("could not publish the load of node {}: {}", node.nodeId(), e.getMessage());
    }
  }

  /** Leaves the directory as soon as the context starts closing, before Dubbo and the sessions stop. */
  @EventListener
  public synchronized void onClosing(ContextClosedEvent event) {
    if (event.getApplicationContext() != context) {
      return;
    }
    unregister();
  }

  private void unregister() {
    if (loadReporter != null) {
      loadReporter.shutdownNow();
    }
    if (!registered) {
      return;
    }
    registered = false;
    try {
      directory.unregister(node.nodeId());
    } catch (RuntimeException e) {
      log.warn("could not unregister node {}: {}", node.nodeId(), e.getMessage());
    }
  }

  /**
   * The other live nodes' "host:port" for the listener a client came through, least loaded first (the directory's
   * order), at most {@value #MAX_REDIRECTS}.
   */
  private List<String> redirectFor(String listener) {
    try {
      return directory.liveNodes().stream()
          .filter(other -> !other.nodeId().equals(node.nodeId()))
          .map(other -> hostPort(other.host(), portOf(other, listener)))
          .filter(Objects::nonNull)
          .limit(MAX_REDIRECTS)
          .toList();
    } catch (RuntimeException e) {
      log.warn("no redirect for clients of node {}: {}", node.nodeId(), e.getMessage());
      return List.of();
    }
  }

  private static int portOf(ConnectorNode other, String listener) {
    return switch (listener) {
      case TcpServer.TCP_LISTENER -> other.tcpPort();
      case TcpServer.TLS_LISTENER -> other.tlsPort();
      case WebSocketListener.NAME -> other.wsPort();
      default -> 0;
    };
  }

  private static String hostPort(String host, int port) {
    if (port <= 0 || host == null) {
      return null;
    }
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public synchronized void destroy() {
    departed.close();
    unregister();
    tcp.stop(this::redirectFor);
    if (node.isStarted()) {
      try {
        int removed = routes.removeAllOfNode(node.nodeId());
        log.info("connector node {} stopped; {} route(s) removed", node.nodeId(), removed);
      } catch (RuntimeException e) {
        log.warn("routes of node {} not removed (they expire): {}", node.nodeId(), e.getMessage());
      }
    }
    blocking.close();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
