package io.universepush.connector.session;

import java.time.Duration;

/**
 * The rules and limits every session of a node follows.
 *
 * @param maxInFlight pushes written and not yet acknowledged, per connection (the window)
 * @param maxQueued pushes accepted for a connection and waiting for the window or for the socket to drain; beyond
 *     it a unicast push is left in its pending set (read again once the queue empties) and a fan-out entry to the
 *     log (caught up from there)
 * @param maxBindings (app, device) pairs one connection may carry
 * @param authTimeout how long a connection may take to send CONNECT or SUB
 * @param routeTtlMargin added to the idle timeout to get the route TTL
 * @param storeRetryDelay wait before a failed store or service call is tried again
 * @param storeUnavailableTimeout how long such calls may keep failing before the connection is closed with
 *     SERVER_UNAVAILABLE, so the client goes elsewhere instead of sitting connected and receiving nothing
 * @param pendingRecheckInterval how often, at most, a heartbeat makes the session read its pending sets again
 *     (a push whose delivery call never reached this node is found there)
 */
public record SessionSettings(
    HeartbeatPolicy heartbeats,
    RedeliveryPolicy redelivery,
    int maxInFlight,
    int maxQueued,
    int maxBindings,
    Duration authTimeout,
    Duration routeTtlMargin,
    Duration storeRetryDelay,
    Duration storeUnavailableTimeout,
    Duration pendingRecheckInterval) {

  public SessionSettings {
    if (maxInFlight <= 0 || maxQueued <= 0 || maxBindings <= 0) {
      throw new IllegalArgumentException("session limits must be positive");
    }
  }
}
