package io.universepush.connector.system;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of one connector node, under {@code universe.push.connector}.
 *
 * @param tcpPort TCP port for device connections; 0 picks a free port (tests). Default 6789.
 * @param nodeId this node's id in ZooKeeper and in routes. Default {@code <advertised-host>:<tcp-port>}.
 * @param advertisedHost the address devices and other services reach this node at. Default: the address Dubbo
 *     registers ({@code NetUtils.getLocalHost()}), so routes and the node directory agree with the Dubbo registry.
 * @param weight relative capacity published with the node's load; routing prefers low connections/weight. Default 100.
 * @param maxBodySize largest body a client may send; a bigger declared length closes the connection. Default 64KB.
 * @param authTimeout how long a new connection may take to send its CONNECT (v3) or SUB (v1/v2). Default 10s.
 * @param maxBindingsPerConnection (app, device) pairs one connection may authenticate. Default 16.
 * @param maxInFlightPerSession pushes written to one connection and not yet acknowledged (its window); more wait in
 *     the session's queue until acks free room. Default 256.
 * @param maxConnections connections this node accepts; further ones are closed at once. Default 100000.
 * @param heartbeatDefault version-3 heartbeat interval when the client states none. Default 60s.
 * @param heartbeatMin lowest heartbeat interval accepted (v3 requests are clamped to it). Default 10s.
 * @param heartbeatMax highest heartbeat interval accepted (v3 and legacy requests are clamped to it). Default 10m.
 * @param routeTtlMargin added to a connection's idle timeout to get its route TTL, so a route outlives one late
 *     heartbeat. Default 30s.
 * @param writeBufferLowWaterMark a connection is writable again below this many queued outbound bytes. Default 32KB.
 * @param writeBufferHighWaterMark above this many queued outbound bytes a session stops writing pushes until the
 *     socket drains. Default 128KB.
 * @param ioThreads Netty event loop threads; 0 lets Netty choose (2 x cores). Default 0.
 * @param blockingThreads threads for Dubbo and Redis calls, which must not run on event loops. Default 8.
 * @param blockingQueueCapacity tasks waiting for those threads; beyond it new handshakes get SERVER_UNAVAILABLE.
 *     Default 10000.
 * @param loadReportInterval how often the node's connection count is published to ZooKeeper. Default 5s.
 * @param shutdownTimeout how long shutdown waits for connections to close after DISCONNECT. Default 5s.
 * @param redeliveryTimeout how long a version-3 push may stay unacknowledged before it is written again on the same
 *     connection; attempt n waits {@code timeout x 2^(n-1)}, capped at {@code redeliveryMaxDelay}. Default 30s.
 * @param redeliveryMaxDelay the longest wait between two attempts. Default 10m.
 * @param maxAttempts writes of one message to one device, across connections; past it the message is dropped from
 *     the device's pending set and counted {@code failed}. Default 5.
 * @param maxQueuedPerSession pushes accepted for one connection and waiting for its window or its socket; beyond it a
 *     unicast push stays in its pending set and a fan-out entry in the log, read again once the queue empties.
 *     Default 1024.
 * @param storeRetryDelay wait before a failed Redis or push-subscribe call of a session is tried again. Default 1s.
 * @param storeUnavailableTimeout how long a session's calls may keep failing before its connection is closed with
 *     SERVER_UNAVAILABLE (so the client reconnects, possibly elsewhere). Default 10s.
 * @param pendingRecheckInterval how often, at most, a heartbeat makes a session read its pending sets and fan-out
 *     logs again, for pushes no delivery call announced. Default 5m.
 */
@ConfigurationProperties("universe.push.connector")
public record ConnectorProperties(
    @DefaultValue("6789") int tcpPort,
    String nodeId,
    String advertisedHost,
    @DefaultValue("100") int weight,
    @DefaultValue("64KB") DataSize maxBodySize,
    @DefaultValue("10s") Duration authTimeout,
    @DefaultValue("16") int maxBindingsPerConnection,
    @DefaultValue("256") int maxInFlightPerSession,
    @DefaultValue("100000") int maxConnections,
    @DefaultValue("60s") Duration heartbeatDefault,
    @DefaultValue("10s") Duration heartbeatMin,
    @DefaultValue("10m") Duration heartbeatMax,
    @DefaultValue("30s") Duration routeTtlMargin,
    @DefaultValue("32KB") DataSize writeBufferLowWaterMark,
    @DefaultValue("128KB") DataSize writeBufferHighWaterMark,
    @DefaultValue("0") int ioThreads,
    @DefaultValue("8") int blockingThreads,
    @DefaultValue("10000") int blockingQueueCapacity,
    @DefaultValue("5s") Duration loadReportInterval,
    @DefaultValue("5s") Duration shutdownTimeout,
    @DefaultValue("30s") Duration redeliveryTimeout,
    @DefaultValue("10m") Duration redeliveryMaxDelay,
    @DefaultValue("5") int maxAttempts,
    @DefaultValue("1024") int maxQueuedPerSession,
    @DefaultValue("1s") Duration storeRetryDelay,
    @DefaultValue("10s") Duration storeUnavailableTimeout,
    @DefaultValue("5m") Duration pendingRecheckInterval) {

  public ConnectorProperties {
    require(tcpPort >= 0 && tcpPort <= 65535, "tcp-port must be 0..65535");
    require(weight > 0, "weight must be positive");
    require(maxBodySize.toBytes() > 0 && maxBodySize.toBytes() <= Integer.MAX_VALUE, "max-body-size out of range");
    require(positive(authTimeout), "auth-timeout must be positive");
    require(maxBindingsPerConnection > 0, "max-bindings-per-connection must be positive");
    require(maxInFlightPerSession > 0, "max-in-flight-per-session must be positive");
    require(maxConnections > 0, "max-connections must be positive");
    require(positive(heartbeatMin), "heartbeat-min must be positive");
    require(heartbeatMax.compareTo(heartbeatMin) >= 0, "heartbeat-max must be >= heartbeat-min");
    require(
        heartbeatDefault.compareTo(heartbeatMin) >= 0 && heartbeatDefault.compareTo(heartbeatMax) <= 0,
        "heartbeat-default must lie within [heartbeat-min, heartbeat-max]");
    require(!routeTtlMargin.isNegative(), "route-ttl-margin must not be negative");
    require(
        writeBufferHighWaterMark.toBytes() >= writeBufferLowWaterMark.toBytes(),
        "write-buffer-high-water-mark must be >= write-buffer-low-water-mark");
    require(ioThreads >= 0, "io-threads must not be negative");
    require(blockingThreads > 0, "blocking-threads must be positive");
    require(blockingQueueCapacity > 0, "blocking-queue-capacity must be positive");
    require(positive(loadReportInterval), "load-report-interval must be positive");
    require(positive(redeliveryTimeout), "redelivery-timeout must be positive");
    require(redeliveryMaxDelay.compareTo(redeliveryTimeout) >= 0, "redelivery-max-delay must be >= redelivery-timeout");
    require(maxAttempts > 0, "max-attempts must be positive");
    require(maxQueuedPerSession > 0, "max-queued-per-session must be positive");
    require(positive(storeRetryDelay), "store-retry-delay must be positive");
    require(positive(storeUnavailableTimeout), "store-unavailable-timeout must be positive");
    require(positive(pendingRecheckInterval), "pending-recheck-interval must be positive");
  }

  public int maxBodyBytes() {
    return (int) maxBodySize.toBytes();
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("universe.push.connector." + message);
    }
  }
}
