package io.universepush.connector.delivery;

import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.session.Session;
import io.universepush.connector.session.SessionRegistry;
import io.universepush.connector.system.BlockingTasks;
import io.universepush.connector.wire.PushFrames;
import io.universepush.rpc.connector.Delivery;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.fanout.FanoutBus;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.message.StoredMessage;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The live path of tag and app-wide pushes: every event on the fan-out bus is written to this node's sessions bound to
 * the event's app whose platform is in the audience and, for a tag push, whose device carries one of the tags (one
 * store call per event). The write carries the entry's fan-out id (none for online-only pushes), so the client can
 * advance its cursor. No pending entries: a device that misses it catches up from the log on its next CONNECT, and
 * one whose session is full is left to that too. Work runs on the blocking pool, never on Redis's threads, one event
 * at a time in the order received, so a session gets fan-out pushes in publish order.
 */
@Component
public class FanoutDeliveries implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(FanoutDeliveries.class);

  private final FanoutBus bus;
  private final SessionRegistry registry;
  private final DeviceStore devices;
  private final DeliveryWriter writer;
  private final BlockingTasks blocking;
  private final ConnectorMetrics metrics;
  private final Queue<FanoutEvent> received = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile AutoCloseable subscription;

  public FanoutDeliveries(
      FanoutBus bus,
      SessionRegistry registry,
      DeviceStore devices,
      DeliveryWriter writer,
      BlockingTasks blocking,
      ConnectorMetrics metrics) {
    this.bus = bus;
    this.registry = registry;
    this.devices = devices;
    this.writer = writer;
    this.blocking = blocking;
    this.metrics = metrics;
  }

  @Override
  public void start() {
    subscription =
        bus.subscribe(
            event -> {
              received.add(event);
              drainLater();
            });
  }

  private void drainLater() {
    if (draining.compareAndSet(false, true) && !blocking.submit("fan-out delivery", this::drain)) {
      draining.set(false);
      received.clear();
      log.warn("fan-out events dropped: blocking pool saturated (devices catch up on their next connect)");
    }
  }

  private void drain() {
    try {
      FanoutEvent event;
      while ((event = received.poll()) != null) {
        try {
          deliver(event);
        } catch (RuntimeException e) {
          log.warn("fan-out {} not delivered: {}", describe(event), e.toString());
        }
      }
    } finally {
      draining.set(false);
    }
    if (!received.isEmpty()) {
      drainLater();
    }
  }

  @Override
  public void stop() {
    AutoCloseable current = subscription;
    subscription = null;
    if (current != null) {
      try {
        current.close();
      } catch (Exception e) {
        log.debug("fan-out unsubscribe failed: {}", e.toString());
      }
    }
  }

  @Override
  public boolean isRunning() {
    return subscription != null;
  }

  /** Blocking (tag lookup). Writes the event to every matching local session. */
  void deliver(FanoutEvent event) {
    FanoutEntry entry = event.entry();
    StoredMessage message = event.message();
    if (entry == null || message == null || entry.appId() == null) {
      return;
    }
    metrics.fanoutEvent();
    if (message.isExpired(System.currentTimeMillis())) {
      return;
    }
    List<String> audience = new ArrayList<>();
    for (String regId : registry.regIdsOf(entry.appId())) {
      Session session = registry.find(regId);
      if (session != null
          && entry.appId().equals(session.appOf(regId))
          && (entry.platforms().isEmpty() || entry.platforms().contains(session.platformOf(regId)))) {
        audience.add(regId);
      }
    }
    if (!audience.isEmpty() && !entry.tags().isEmpty()) {
      Set<String> tagged = devices.withAnyTag(entry.appId(), entry.tags(), audience);
      audience.removeIf(regId -> !tagged.contains(regId));
    }
    Map<Session, List<Delivery>> writable = new IdentityHashMap<>();
    int full = 0;
    for (String regId : audience) {
      Session session = registry.find(regId);
      if (session == null || !session.isOpen()) {
        continue;
      }
      Delivery delivery = PendingFlusher.toDelivery(message, regId);
      delivery.setFanoutId(entry.id() == null || entry.id().isEmpty() ? null : entry.id());
      if (!PushFrames.fits(session.version(), delivery) || !session.tryReserve()) {
        full++;
        continue;
      }
      writable.computeIfAbsent(session, s -> new ArrayList<>()).add(delivery);
    }
    if (full > 0) {
      log.debug("fan-out {}: {} session(s) full, left to catch up", message.msgId(), full);
    }
    writable.forEach(writer::submit);
  }

  private static String describe(FanoutEvent event) {
    return event.message() == null ? "event" : event.message().msgId();
  }
}
