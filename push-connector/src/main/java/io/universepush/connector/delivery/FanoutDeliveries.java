package io.universepush.connector.delivery;

import io.universepush.connector.connection.DeviceConnection;
import io.universepush.connector.connection.SessionRegistry;
import io.universepush.connector.connection.SessionRegistry.LocalBinding;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.system.BlockingTasks;
import io.universepush.rpc.connector.Delivery;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.group.GroupStore;
import io.universepush.store.fanout.FanoutBus;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.message.StoredMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
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
 * The live path of tag and app-wide pushes: every event on the fan-out bus is offered to this node's sessions bound to
 * the event's app, naming which of their bindings are in the audience: platform filter, and for a tag push the
 * device's tags (one store call per event). Sessions take a logged entry only in offset order and read the app's log
 * for anything they missed, so an event dropped here (pool saturated, pub/sub itself) costs a log read, never a push.
 * Work runs on the blocking pool, never on Redis's threads, one event at a time in the order received.
 */
@Component
public class FanoutDeliveries implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(FanoutDeliveries.class);

  private final FanoutBus bus;
  private final SessionRegistry registry;
  private final DeviceStore devices;
  private final GroupStore groups;
  private final BlockingTasks blocking;
  private final ConnectorMetrics metrics;
  private final Clock clock;
  private final Queue<FanoutEvent> received = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile AutoCloseable subscription;

  public FanoutDeliveries(
      FanoutBus bus,
      SessionRegistry registry,
      DeviceStore devices,
      GroupStore groups,
      BlockingTasks blocking,
      ConnectorMetrics metrics,
      Clock clock) {
    this.bus = bus;
    this.registry = registry;
    this.devices = devices;
    this.groups = groups;
    this.blocking = blocking;
    this.metrics = metrics;
    this.clock = clock;
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
      log.warn("fan-out events dropped: blocking pool saturated (sessions catch up from the fan-out log)");
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

  /**
   * Blocking (tag lookup). Offers the event to every local connection with a binding of the event's app, naming the
   * bindings in its audience: those not in it still move their fan-out position past a logged entry.
   */
  void deliver(FanoutEvent event) {
    FanoutEntry entry = event.entry();
    StoredMessage message = event.message();
    if (entry == null || message == null || entry.appId() == null) {
      return;
    }
    metrics.fanoutEvent();
    if (message.isExpired(clock.millis())) {
      return;
    }
    List<LocalBinding> local = new ArrayList<>();
    List<String> audience = new ArrayList<>();
    for (String regId : registry.regIdsOf(entry.appId())) {
      LocalBinding binding = registry.find(regId);
      if (binding == null || !entry.appId().equals(binding.appId())) {
        continue;
      }
      local.add(binding);
      if (entry.platforms().isEmpty() || entry.platforms().contains(binding.platform())) {
        audience.add(regId);
      }
    }
    String groupId = entry.groupId();
    if (groupId != null) {
      // A group's message is for its members (but its sender); only they follow its channel.
      Set<String> members = audience.isEmpty() ? Set.of() : groups.membersAmong(entry.appId(), groupId, audience);
      local.removeIf(binding -> !members.contains(binding.regId()));
      audience.removeIf(regId -> !members.contains(regId) || regId.equals(entry.sender()));
    } else if (!audience.isEmpty() && !entry.tags().isEmpty()) {
      Set<String> tagged = devices.withAnyTag(entry.appId(), entry.tags(), audience);
      audience.removeIf(regId -> !tagged.contains(regId));
    }
    Set<String> matching = Set.copyOf(audience);
    Map<DeviceConnection, Set<String>> byConnection = new IdentityHashMap<>();
    for (LocalBinding binding : local) {
      Set<String> forConnection = byConnection.computeIfAbsent(binding.connection(), c -> new HashSet<>());
      if (matching.contains(binding.regId())) {
        forConnection.add(binding.regId());
      }
    }
    // One content for every session: the frames differ only in the binding's fields.
    Delivery content = StoredDeliveries.fanoutContent(message, entry);
    byConnection.forEach(
        (connection, regIds) -> connection.execute(session -> session.offerFanout(entry, content, regIds)));
  }

  private static String describe(FanoutEvent event) {
    return event.message() == null ? "event" : event.message().msgId();
  }
}
