package io.universepush.connector.session;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.universepush.protocol.ProtocolVersion;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One authenticated connection: its protocol version, the (app, device) bindings it serves, its heartbeat, and the
 * pushes written to it and not yet acknowledged.
 *
 * <p>Threading: the connection's event loop owns the in-flight table and heartbeat fields. Dubbo threads look
 * sessions up to deliver, so the bindings are a concurrent map and delivery capacity is reserved through an atomic
 * counter ({@link #tryReserve()}) before the write is handed to the event loop.
 */
public final class Session {
  public static final AttributeKey<Session> KEY = AttributeKey.valueOf("universepush.session");

  private final Channel channel;
  private final ProtocolVersion version;
  private final int maxInFlight;
  private final Map<String, String> appIdByRegId = new ConcurrentHashMap<>();
  /** The device's platform as push-subscribe knows it (fan-out platform filters); absent for legacy devices. */
  private final Map<String, String> platformByRegId = new ConcurrentHashMap<>();
  /**
   * Version-3 bindings whose fan-out log is still to be replayed, with the cursor to replay after ("": from the
   * device's registration). Read and advanced by the (single) pending flush of the binding.
   */
  private final Map<String, String> fanoutCursorByRegId = new ConcurrentHashMap<>();
  private final InFlightDeliveries inFlight = new InFlightDeliveries();
  /** Deliveries queued for the event loop plus those in flight: the back-pressure bound. */
  private final AtomicInteger reserved = new AtomicInteger();
  /** Bindings whose pending set held more than one flush could take; flushed again when acks drain. */
  private final Set<String> morePending = ConcurrentHashMap.newKeySet();
  private volatile long heartbeatIntervalMs;
  private volatile long idleTimeoutMs;
  /** Event loop only: the armed redelivery check, and when it fires. */
  private ScheduledFuture<?> redeliveryTimer;
  private long redeliveryAtMs = Long.MAX_VALUE;

  public Session(Channel channel, ProtocolVersion version, int maxInFlight) {
    this.channel = channel;
    this.version = version;
    this.maxInFlight = maxInFlight;
  }

  /** The session of a channel, or null before authentication. */
  public static Session of(Channel channel) {
    return channel.attr(KEY).get();
  }

  public Channel channel() {
    return channel;
  }

  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /** V3, or the legacy version (1 or 2) of the connection's SUB. */
  public ProtocolVersion version() {
    return version;
  }

  public boolean isLegacy() {
    return version.isLegacy();
  }

  public String remoteAddress() {
    return String.valueOf(channel.remoteAddress());
  }

  // --- bindings

  void addBinding(String regId, String appId, String platform) {
    appIdByRegId.put(regId, appId);
    if (platform == null || platform.isEmpty()) {
      platformByRegId.remove(regId);
    } else {
      platformByRegId.put(regId, platform);
    }
  }

  boolean removeBinding(String regId) {
    morePending.remove(regId);
    platformByRegId.remove(regId);
    fanoutCursorByRegId.remove(regId);
    return appIdByRegId.remove(regId) != null;
  }

  /** The bound device's platform, or null (legacy devices, or unknown). */
  public String platformOf(String regId) {
    return platformByRegId.get(regId);
  }

  public boolean holds(String regId) {
    return appIdByRegId.containsKey(regId);
  }

  /** The app of a bound device, or null when the device is not bound here. */
  public String appOf(String regId) {
    return appIdByRegId.get(regId);
  }

  public int bindingCount() {
    return appIdByRegId.size();
  }

  public Map<String, String> bindings() {
    return Map.copyOf(appIdByRegId);
  }

  // --- fan-out catch-up

  /** The binding's fan-out log is to be replayed after this cursor ("" or null: from the device's registration). */
  public void startCatchUp(String regId, String cursor) {
    fanoutCursorByRegId.put(regId, cursor == null ? "" : cursor);
  }

  /** The cursor to replay after, or null when the binding has nothing left to catch up. */
  public String catchUpCursor(String regId) {
    return fanoutCursorByRegId.get(regId);
  }

  public void advanceCatchUp(String regId, String cursor) {
    fanoutCursorByRegId.computeIfPresent(regId, (id, old) -> cursor);
  }

  public void finishCatchUp(String regId) {
    fanoutCursorByRegId.remove(regId);
  }

  // --- heartbeat

  public long heartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  public long idleTimeoutMs() {
    return idleTimeoutMs;
  }

  public void heartbeat(long intervalMs, long idleTimeoutMs) {
    this.heartbeatIntervalMs = intervalMs;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  // --- delivery capacity and in-flight pushes

  /** Takes one unit of delivery capacity; false when the session already has its maximum in flight. */
  public boolean tryReserve() {
    while (true) {
      int current = reserved.get();
      if (current >= maxInFlight) {
        return false;
      }
      if (reserved.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  public void release(int count) {
    if (count > 0) {
      reserved.addAndGet(-count);
    }
  }

  public int freeCapacity() {
    return Math.max(0, maxInFlight - reserved.get());
  }

  /** Event loop only. */
  public InFlightDeliveries inFlight() {
    return inFlight;
  }

  /** Event loop only: when the armed redelivery check fires; {@link Long#MAX_VALUE} when none is armed. */
  public long redeliveryAtMs() {
    return redeliveryAtMs;
  }

  /** Event loop only: replaces the armed redelivery check (null: none). */
  public void redeliveryTimer(ScheduledFuture<?> timer, long atMs) {
    if (redeliveryTimer != null && redeliveryTimer != timer) {
      redeliveryTimer.cancel(false);
    }
    redeliveryTimer = timer;
    redeliveryAtMs = timer == null ? Long.MAX_VALUE : atMs;
  }

  public void markMorePending(String regId) {
    morePending.add(regId);
  }

  /** The bindings to flush again, clearing the marks. */
  public List<String> takeMorePending() {
    List<String> regIds = List.copyOf(morePending);
    morePending.removeAll(regIds);
    return regIds;
  }

  @Override
  public String toString() {
    return "Session{v" + version.code() + " " + channel.remoteAddress() + " " + appIdByRegId.keySet() + "}";
  }
}
