package io.universepush.store.group;

import java.util.function.Consumer;

/**
 * Membership changes as published to every connector (a Redisson topic). Best effort, as Redis pub/sub is: a
 * connector that misses one learns the device's groups again on its next connect (and a member's group messages are
 * still in the group's log).
 */
public interface GroupBus {

  void publish(GroupMembershipChange change);

  /** Delivers every change published from now on; closing the returned handle stops that. */
  AutoCloseable subscribe(Consumer<GroupMembershipChange> listener);
}
