package io.universepush.store.group;

import java.util.Set;

/**
 * Devices joined or left a group. Connectors holding them start or stop following the group's channel: a joining
 * device follows it from {@code fromOffset} (the group's newest message when it joined: it sees what comes after),
 * in the log's {@code epoch}.
 */
public record GroupMembershipChange(
    String appId, String groupId, Set<String> regIds, boolean joined, long fromOffset, String epoch) {

  public GroupMembershipChange {
    regIds = Set.copyOf(regIds);
    epoch = epoch == null ? "" : epoch;
  }
}
