package io.universepush.sdk.internal;

import io.universepush.sdk.ConnectorEndpoint;
import io.universepush.sdk.PositionStore;
import io.universepush.sdk.DedupStore;
import io.universepush.sdk.DeviceRegistrar;
import io.universepush.sdk.MemoryPositionStore;
import io.universepush.sdk.MemoryDedupStore;
import io.universepush.sdk.PushListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The settings of one client, fixed when it is built, and the parts made from them that both the NIO and the AIO
 * connection need. Immutable. Not public API.
 */
public final class ClientConfig {
  private final String apiUrl;
  private final InetSocketAddress fixedEndpoint;
  private final List<BindingCredentials> bindings;
  private final List<ConnectorEndpoint> connectors;
  private final PushListener listener;
  private final DedupStore dedupStore;
  private final PositionStore positionStore;
  private final String platform;
  private final long heartbeatIntervalMs;
  private final long pongTimeoutMs;
  private final long connectTimeoutMs;
  private final long backoffBaseMs;
  private final long backoffMaxMs;
  private final double backoffJitter;
  private final int maxFrameLength;
  private final SSLContext tls;

  ClientConfig(ClientBuilder<?> b) {
    this.apiUrl = b.apiUrl;
    this.fixedEndpoint = b.host == null ? null : InetSocketAddress.createUnresolved(b.host, b.port);
    this.bindings = Collections.unmodifiableList(new ArrayList<BindingCredentials>(b.bindings));
    this.connectors = Collections.unmodifiableList(new ArrayList<ConnectorEndpoint>(b.connectors));
    this.listener = b.listener;
    this.dedupStore = b.dedupStore;
    this.positionStore = b.positionStore;
    this.platform = b.platform == null ? b.defaultPlatform : b.platform;
    this.heartbeatIntervalMs = b.heartbeatIntervalMs;
    this.pongTimeoutMs = b.pongTimeoutMs;
    this.connectTimeoutMs = b.connectTimeoutMs;
    this.backoffBaseMs = b.backoffBaseMs;
    this.backoffMaxMs = b.backoffMaxMs;
    this.backoffJitter = b.backoffJitter;
    this.maxFrameLength = b.maxFrameLength;
    this.tls = b.tls;
  }

  /** The reg id of the first binding: it names the client's thread. */
  public String firstRegId() {
    return bindings.get(0).regId();
  }

  /** Unmodifiable, in the order given. */
  public List<BindingCredentials> bindings() {
    return bindings;
  }

  public ClientSession.Settings sessionSettings(String clientVersion) {
    return new ClientSession.Settings(bindings, platform, clientVersion, heartbeatIntervalMs, pongTimeoutMs);
  }

  /** The given store, or a new in-memory one per client. */
  public DedupStore dedupStore() {
    return dedupStore != null ? dedupStore : new MemoryDedupStore();
  }

  /** The given store, or a new in-memory one per client. */
  public PositionStore positionStore() {
    return positionStore != null ? positionStore : new MemoryPositionStore();
  }

  public PushListener listener() {
    return listener;
  }

  public long connectTimeoutMs() {
    return connectTimeoutMs;
  }

  public int maxFrameLength() {
    return maxFrameLength;
  }

  /** The TLS context for connections and the HTTP API, or null for plain TCP and the platform's HTTPS defaults. */
  public SSLContext tls() {
    return tls;
  }

  /** A TLS session for one attempt to reach {@code host}, or null when the client does not use TLS. */
  TlsSession newTlsSession(String host, int port) throws SSLException {
    return tls == null ? null : TlsSession.client(tls, host, port);
  }

  public Backoff newBackoff() {
    return new Backoff(backoffBaseMs, backoffMaxMs, backoffJitter, new SecureRandom());
  }

  /**
   * The fixed endpoint, then the registration's connectors, then route lookups with the first binding's device
   * credentials when there is an API URL.
   */
  public EndpointPicker newEndpointPicker() {
    EndpointPicker.RouteLookup lookup = null;
    if (apiUrl != null && !apiUrl.isEmpty()) {
      // The first binding's device's route is the connection's route.
      final BindingCredentials first = bindings.get(0);
      lookup =
          new EndpointPicker.RouteLookup() {
            @Override
            public List<ConnectorEndpoint> route() throws IOException {
              return DeviceRegistrar.routeWithToken(apiUrl, first.appId(), first.regId(), first.token(), tls);
            }
          };
    }
    return new EndpointPicker(fixedEndpoint, connectors, lookup);
  }
}
