package io.universepush.connector.delivery;

import io.universepush.connector.connection.SessionRegistry;
import io.universepush.connector.connection.SessionRegistry.LocalBinding;
import io.universepush.store.fanout.FanoutPosition;
import io.universepush.store.group.GroupBus;
import io.universepush.store.group.GroupMembershipChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Joins and leaves published by push-group, for the devices bound here: a joining member's session starts following
 * the group's channel after the group's newest message, a leaving one stops. A change this node misses is learned on
 * the device's next connect, when its groups are read again.
 */
@Component
public class GroupMemberships implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(GroupMemberships.class);

  private final GroupBus bus;
  private final SessionRegistry registry;
  private volatile AutoCloseable subscription;

  public GroupMemberships(GroupBus bus, SessionRegistry registry) {
    this.bus = bus;
    this.registry = registry;
  }

  @Override
  public void start() {
    subscription = bus.subscribe(this::changed);
  }

  void changed(GroupMembershipChange change) {
    FanoutPosition start = new FanoutPosition(Math.max(0, change.fromOffset()), change.epoch());
    for (String regId : change.regIds()) {
      LocalBinding binding = registry.find(regId);
      if (binding == null || !binding.appId().equals(change.appId())) {
        continue;
      }
      if (change.joined()) {
        binding.connection().execute(session -> session.joinedGroup(regId, change.groupId(), start));
      } else {
        binding.connection().execute(session -> session.leftGroup(regId, change.groupId()));
      }
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
        log.debug("group membership unsubscribe failed: {}", e.toString());
      }
    }
  }

  @Override
  public boolean isRunning() {
    return subscription != null;
  }
}
