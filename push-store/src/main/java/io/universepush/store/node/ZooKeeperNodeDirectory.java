package io.universepush.store.node;

import io.universepush.store.StoreUnavailableException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.CloseableUtils;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.apache.curator.x.discovery.details.ServiceCacheListener;

/**
 * Connector nodes registered with curator-x-discovery under {@code /universe-push/connector/{nodeId}}: ephemeral
 * znodes whose JSON payload is the {@link ConnectorNode}. Curator re-registers them after a session loss. Reads come
 * from a {@link ServiceCache} that watches the service's children, so they cost no ZooKeeper round trip and follow a
 * node's appearance, load updates and disappearance (session end) within a watch notification.
 */
public final class ZooKeeperNodeDirectory implements NodeDirectory, AutoCloseable {
  public static final String BASE_PATH = "/universe-push";
  public static final String SERVICE_NAME = "connector";

  /** A dead node leaves the directory this long after its last contact with ZooKeeper. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
  private static final int CONNECTION_TIMEOUT_MS = 5_000;
  private static final long CONNECT_WAIT_SECONDS = 15;
  private static final Comparator<ConnectorNode> LEAST_LOADED_FIRST =
      Comparator.comparingDouble(ConnectorNode::load).thenComparing(ConnectorNode::nodeId);

  private final CuratorFramework client;
  private final boolean ownsClient;
  private final ServiceDiscovery<ConnectorNode> discovery;
  private final ServiceCache<ConnectorNode> cache;
  private final Map<String, ServiceInstance<ConnectorNode>> registered = new ConcurrentHashMap<>();

  private ZooKeeperNodeDirectory(CuratorFramework client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.discovery =
        ServiceDiscoveryBuilder.builder(ConnectorNode.class)
            .client(client)
            .basePath(BASE_PATH)
            .serializer(new JsonInstanceSerializer<>(ConnectorNode.class))
            .build();
    this.cache = discovery.serviceCacheBuilder().name(SERVICE_NAME).build();
    try {
      discovery.start();
      cache.start();
    } catch (Exception e) {
      CloseableUtils.closeQuietly(cache);
      CloseableUtils.closeQuietly(discovery);
      throw unavailable("start of node discovery", e);
    }
  }

  /** {@link #connect(String, int, int)} with a 10 s session and 5 s connection timeout. */
  public static ZooKeeperNodeDirectory connect(String connectString) {
    return connect(connectString, (int) DEFAULT_SESSION_TIMEOUT.toMillis(), CONNECTION_TIMEOUT_MS);
  }

  /**
   * Connects its own ZooKeeper client (closed by {@link #close()}) to a server or an ensemble ({@code
   * host:port,host:port,...}: the client picks a server and moves to another when it fails, keeping its session);
   * fails when no server is reachable in time.
   */
  public static ZooKeeperNodeDirectory connect(String connectString, int sessionTimeoutMs, int connectionTimeoutMs) {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs(sessionTimeoutMs)
            .connectionTimeoutMs(connectionTimeoutMs)
            .retryPolicy(new ExponentialBackoffRetry(500, 5))
            .build();
    client.start();
    try {
      if (!client.blockUntilConnected((int) CONNECT_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new StoreUnavailableException(
            "ZooKeeper at " + connectString + " not reachable within " + CONNECT_WAIT_SECONDS + " s", null);
      }
      return new ZooKeeperNodeDirectory(client, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
      throw new StoreUnavailableException("interrupted while connecting to ZooKeeper at " + connectString, e);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** Uses a started client that the caller keeps owning. */
  public static ZooKeeperNodeDirectory using(CuratorFramework client) {
    return new ZooKeeperNodeDirectory(client, false);
  }

  @Override
  public void register(ConnectorNode node) {
    ServiceInstance<ConnectorNode> instance = instance(node);
    try {
      discovery.registerService(instance);
    } catch (Exception e) {
      throw unavailable("registration of node " + node.nodeId(), e);
    }
    registered.put(node.nodeId(), instance);
  }

  @Override
  public void update(ConnectorNode node) {
    if (!registered.containsKey(node.nodeId())) {
      throw new IllegalStateException("node " + node.nodeId() + " is not registered by this directory");
    }
    ServiceInstance<ConnectorNode> instance = instance(node);
    try {
      discovery.updateService(instance);
    } catch (Exception e) {
      throw unavailable("update of node " + node.nodeId(), e);
    }
    registered.put(node.nodeId(), instance);
  }

  @Override
  public void unregister(String nodeId) {
    ServiceInstance<ConnectorNode> instance = registered.remove(nodeId);
    if (instance == null) {
      return;
    }
    try {
      discovery.unregisterService(instance);
    } catch (Exception e) {
      throw unavailable("unregistration of node " + nodeId, e);
    }
  }

  @Override
  public List<ConnectorNode> liveNodes() {
    return cache.getInstances().stream()
        .map(ServiceInstance::getPayload)
        .filter(Objects::nonNull)
        .sorted(LEAST_LOADED_FIRST)
        .toList();
  }

  @Override
  public Optional<ConnectorNode> find(String nodeId) {
    return cache.getInstances().stream()
        .map(ServiceInstance::getPayload)
        .filter(node -> node != null && node.nodeId().equals(nodeId))
        .findFirst();
  }

  @Override
  public void watch(Runnable onChange) {
    cache.addListener(
        new ServiceCacheListener() {
          @Override
          public void cacheChanged() {
            onChange.run();
          }

          @Override
          public void stateChanged(CuratorFramework client, ConnectionState state) {
            // A reconnect reloads the cache, which reports what changed meanwhile through cacheChanged.
          }
        });
  }

  @Override
  public void close() {
    CloseableUtils.closeQuietly(cache);
    // Closing discovery deletes this directory's registrations at once instead of at session expiry.
    CloseableUtils.closeQuietly(discovery);
    registered.clear();
    if (ownsClient) {
      client.close();
    }
  }

  private static ServiceInstance<ConnectorNode> instance(ConnectorNode node) {
    try {
      return ServiceInstance.<ConnectorNode>builder()
          .name(SERVICE_NAME)
          .id(node.nodeId())
          .address(node.host())
          .port(node.tcpPort())
          .payload(node)
          .serviceType(ServiceType.DYNAMIC)
          .build();
    } catch (Exception e) {
      throw new IllegalStateException("cannot describe node " + node.nodeId(), e);
    }
  }

  private static StoreUnavailableException unavailable(String operation, Exception cause) {
    if (cause instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new StoreUnavailableException(
        "ZooKeeper unavailable during " + operation + ": " + cause.getMessage(), cause);
  }
}
