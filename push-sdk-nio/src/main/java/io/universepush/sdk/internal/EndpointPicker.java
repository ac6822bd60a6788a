package io.universepush.sdk.internal;

import io.universepush.sdk.ConnectorEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * Chooses the connector for each connection attempt. In order: a node the server redirected to, the endpoint the app
 * set, a fresh route lookup (least loaded first) when one is configured, else the known connectors in turn. The first
 * attempt uses the connectors a registration returned, as they are fresh. Not thread-safe. Not public API.
 */
public final class EndpointPicker {

  /** Asks the HTTP API for the connectors to use now. */
  public interface RouteLookup {
    List<ConnectorEndpoint> route() throws IOException;
  }

  private final InetSocketAddress fixed;
  private final RouteLookup lookup;
  private final Deque<InetSocketAddress> redirects = new ArrayDeque<InetSocketAddress>();
  private List<ConnectorEndpoint> known;
  private int next;
  private boolean firstAttempt = true;

  /**
   * @param fixed the endpoint set by the app (unresolved is fine), or null
   * @param known connectors from a registration, possibly empty
   * @param lookup null when no route lookup is possible
   */
  public EndpointPicker(InetSocketAddress fixed, List<ConnectorEndpoint> known, RouteLookup lookup) {
    if (fixed == null && known.isEmpty() && lookup == null) {
      throw new IllegalArgumentException("no way to find a connector");
    }
    this.fixed = fixed;
    this.known = new ArrayList<ConnectorEndpoint>(known);
    this.lookup = lookup;
  }

  /**
   * The address for the next attempt, unresolved.
   *
   * @throws IOException when the route lookup fails and there is nothing to fall back on
   */
  public InetSocketAddress next() throws IOException {
    boolean first = firstAttempt;
    firstAttempt = false;
    if (!redirects.isEmpty()) {
      return redirects.poll();
    }
    if (fixed != null) {
      return fixed;
    }
    if (lookup != null && !(first && !known.isEmpty())) {
      try {
        List<ConnectorEndpoint> fresh = lookup.route();
        if (fresh.isEmpty()) {
          throw new IOException("route lookup: no connector is up");
        }
        known = new ArrayList<ConnectorEndpoint>(fresh);
        next = 0;
      } catch (IOException e) {
        if (known.isEmpty()) {
          throw e;
        }
        // The API being down does not mean the connectors are: try the ones we know.
      }
    }
    ConnectorEndpoint endpoint = known.get(next++ % known.size());
    return InetSocketAddress.createUnresolved(endpoint.host(), endpoint.tcpPort());
  }

  /** The server named other nodes ({@code "host:port"}, best first) to use before anything else. */
  public void redirect(List<String> hostPorts) {
    redirects.clear();
    for (String hostPort : hostPorts == null ? Collections.<String>emptyList() : hostPorts) {
      InetSocketAddress address = parse(hostPort);
      if (address != null) {
        redirects.add(address);
      }
    }
  }

  static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      return null;
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      return port > 0 && port <= 0xFFFF ? InetSocketAddress.createUnresolved(host, port) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
