package io.universepush.store.group;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Groups and their members, by app: a group of another app does not exist for the caller. Members are reg ids; a
 * device's groups are indexed so that a connector knows, when the device connects, which group channels it follows.
 */
public interface GroupStore {

  /** Creates the group with these members (the owner among them when not empty). */
  Group create(String appId, String name, String owner, Collection<String> members);

  /**
   * Creates the group under an id the caller chose (universe_push's groups are named by their clients); empty when a
   * group (of any app) has that id already. A default, so that other implementations need not offer it.
   */
  default Optional<Group> createWithId(
      String appId, String groupId, String name, String owner, Collection<String> members) {
    throw new UnsupportedOperationException("groups with chosen ids are not supported here");
  }

  Optional<Group> find(String appId, String groupId);

  /** Removes the group and every membership; false when it did not exist. */
  boolean dismiss(String appId, String groupId);

  /** Adds members; returns the ones that were not members yet. Empty when the group does not exist. */
  Set<String> addMembers(String appId, String groupId, Collection<String> regIds);

  /** False when it was not a member (or the group does not exist). */
  boolean removeMember(String appId, String groupId, String regId);

  boolean isMember(String appId, String groupId, String regId);

  /** Every member (groups are bounded in size). */
  Set<String> members(String appId, String groupId);

  long memberCount(String appId, String groupId);

  /** The groups the device is a member of. */
  Set<String> groupsOf(String appId, String regId);

  /** The app's groups, for limits and listings. */
  long groupCount(String appId);

  /** Of these reg ids, the members of the group (one round trip; for delivering a group message on a connector). */
  Set<String> membersAmong(String appId, String groupId, Collection<String> regIds);

  /** Group ids of the app, at most {@code limit}, for app deletion and listings. */
  List<String> groupIdsOf(String appId, int limit);
}
