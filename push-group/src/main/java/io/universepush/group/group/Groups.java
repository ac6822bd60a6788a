package io.universepush.group.group;

import io.universepush.group.system.ApiException;
import io.universepush.group.system.GroupProperties;
import io.universepush.rpc.group.GroupResultCode;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.fanout.FanoutPosition;
import io.universepush.store.group.Group;
import io.universepush.store.group.GroupBus;
import io.universepush.store.group.GroupMembershipChange;
import io.universepush.store.group.GroupStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Groups and their members, for the HTTP API, the legacy endpoints and {@code GroupService} alike. Every change of
 * membership is published on the {@link GroupBus} with the group log's top, so that connectors holding the devices
 * start (or stop) following the group's channel: a joining device follows it after the top read <em>before</em> it
 * was added, so it gets every message sent once it is a member (and at most a few sent just before); a leaving one
 * stops after the top read after it was removed.
 *
 * <p>Limits ({@code max-members}, {@code max-groups-per-app}) are checked before writing; two concurrent joins may
 * together pass {@code max-members} by the size of one request.
 */
@Service
public class Groups {
  /** Group ids as the store makes them, or {@code legacy.<name>} for universe_push's client-named groups. */
  private static final Pattern GROUP_ID = Pattern.compile("[0-9A-Za-z._-]{1,80}");
  /** Reg ids per published change: a dismissed group of 10,000 members is announced in ten messages. */
  private static final int CHANGE_CHUNK = 1000;

  private final GroupStore store;
  private final GroupBus bus;
  private final FanoutLog log;
  private final DeviceNames names;
  private final GroupProperties properties;

  public Groups(GroupStore store, GroupBus bus, FanoutLog log, DeviceNames names, GroupProperties properties) {
    this.store = store;
    this.bus = bus;
    this.log = log;
    this.names = names;
    this.properties = properties;
  }

  /** @param members reg ids or aliases; {@code owner} likewise, or null */
  public Group create(String appId, String name, String owner, List<String> members) {
    if (name != null && name.length() > 128) {
      throw ApiException.invalidField("name", "at most 128 characters");
    }
    checkCount("members", members.size());
    String ownerId = owner == null || owner.isEmpty() ? "" : names.resolveOne(appId, "owner", owner, false);
    Set<String> all = names.resolveAll(appId, "members", members);
    if (!ownerId.isEmpty()) {
      all.add(ownerId);
    }
    checkSize(all.size());
    if (store.groupCount(appId) >= properties.maxGroupsPerApp()) {
      throw new ApiException(
          HttpStatus.CONFLICT,
          "too_many_groups",
          "the app has " + properties.maxGroupsPerApp() + " groups, the limit; dismiss some first",
          GroupResultCode.INVALID);
    }
    Group group = store.create(appId, name == null ? "" : name, ownerId, all);
    announce(appId, group.groupId(), all, true, log.top(appId, channel(group.groupId())));
    return group;
  }

  /** universe_push's groups: named by the client, created on first join. */
  public Group findOrCreateNamed(String appId, String groupId) {
    checkId(groupId);
    return store
        .find(appId, groupId)
        .or(() -> store.createWithId(appId, groupId, groupId, "", List.of()))
        .or(() -> store.find(appId, groupId))
        .orElseThrow(() -> ApiException.groupNotFound(groupId));
  }

  public Optional<Group> find(String appId, String groupId) {
    return validId(groupId) ? store.find(appId, groupId) : Optional.empty();
  }

  public Group get(String appId, String groupId) {
    return find(appId, groupId).orElseThrow(() -> ApiException.groupNotFound(groupId));
  }

  public long memberCount(String appId, String groupId) {
    return store.memberCount(appId, groupId);
  }

  /** Members are told they left; the group's messages stay in its log until they age out, unread. */
  public boolean dismiss(String appId, String groupId) {
    if (find(appId, groupId).isEmpty()) {
      return false;
    }
    Set<String> members = store.members(appId, groupId);
    if (!store.dismiss(appId, groupId)) {
      return false;
    }
    announce(appId, groupId, members, false, log.top(appId, channel(groupId)));
    return true;
  }

  /** @param members reg ids or aliases; answers the reg ids that were not members before */
  public Set<String> join(String appId, String groupId, List<String> members) {
    get(appId, groupId);
    checkCount("members", members.size());
    Set<String> regIds = names.resolveAll(appId, "members", members);
    return joinRegIds(appId, groupId, regIds);
  }

  /** Reg ids known to be the app's. */
  public Set<String> joinRegIds(String appId, String groupId, Collection<String> regIds) {
    Set<String> candidates = new LinkedHashSet<>(regIds);
    candidates.removeAll(store.membersAmong(appId, groupId, candidates));
    if (candidates.isEmpty()) {
      return Set.of();
    }
    checkSize(store.memberCount(appId, groupId) + candidates.size());
    // The top before adding: a message sent meanwhile is after it, so the new member gets it (see the class comment).
    FanoutPosition top = log.top(appId, channel(groupId));
    Set<String> added = store.addMembers(appId, groupId, candidates);
    announce(appId, groupId, added, true, top);
    return added;
  }

  public boolean leave(String appId, String groupId, String regId) {
    if (!validId(groupId) || !store.removeMember(appId, groupId, regId)) {
      return false;
    }
    announce(appId, groupId, Set.of(regId), false, log.top(appId, channel(groupId)));
    return true;
  }

  public Set<String> members(String appId, String groupId) {
    get(appId, groupId);
    return store.members(appId, groupId);
  }

  public boolean isMember(String appId, String groupId, String regId) {
    return store.isMember(appId, groupId, regId);
  }

  public Set<String> groupsOf(String appId, String regId) {
    return store.groupsOf(appId, regId);
  }

  static String channel(String groupId) {
    return FanoutEntry.groupChannel(groupId);
  }

  private void announce(String appId, String groupId, Collection<String> regIds, boolean joined, FanoutPosition top) {
    List<String> all = new ArrayList<>(regIds);
    for (int from = 0; from < all.size(); from += CHANGE_CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + CHANGE_CHUNK));
      bus.publish(new GroupMembershipChange(appId, groupId, Set.copyOf(chunk), joined, top.offset(), top.epoch()));
    }
  }

  private void checkCount(String field, int count) {
    if (count > properties.maxNamesPerRequest()) {
      throw ApiException.invalidField(
          field, count + " names, at most " + properties.maxNamesPerRequest() + " per request");
    }
  }

  private void checkSize(long size) {
    if (size > properties.maxMembers()) {
      throw ApiException.invalidField(
          "members", "the group would have " + size + " members, the limit is " + properties.maxMembers());
    }
  }

  private static boolean validId(String groupId) {
    return groupId != null && GROUP_ID.matcher(groupId).matches();
  }

  private static void checkId(String groupId) {
    if (!validId(groupId)) {
      throw ApiException.invalidField("group", "1 to 80 letters, digits, '.', '_' or '-'");
    }
  }
}
