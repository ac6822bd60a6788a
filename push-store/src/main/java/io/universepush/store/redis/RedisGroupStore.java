package io.universepush.store.redis;

import static io.universepush.store.redis.RedisFailures.call;
import static io.universepush.store.redis.RedisFailures.run;
import static io.universepush.store.redis.Values.nonNull;
import static io.universepush.store.redis.Values.parseLong;

import io.universepush.store.group.Group;
import io.universepush.store.group.GroupStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Groups in two slots' worth of keys, every script taking its keys in KEYS:
 *
 * <ul>
 *   <li>the group's slot ({@code {<group id>}}): the hash {@code group:{<gid>}} (app, name, owner, created) and the
 *       member set {@code group:{<gid>}:members}, written together, the truth of membership;
 *   <li>the app's slot ({@code {<app id>}}): {@code appgroups:{<app>}}, the app's group ids, and one index per device
 *       {@code devgroups:{<app>}:<reg>}, the groups it may be a member of.
 * </ul>
 *
 * The two slots cannot be written atomically together (Redis Cluster), so the indexes are kept a superset of the
 * truth and every read through them checks it: a join writes the indexes first and the member set second; a leave or a
 * dismiss removes from the member set first and from the indexes second. A crash between the two steps leaves an
 * index entry naming a group the device is not in (or one that no longer exists), which {@link #groupsOf} and
 * {@link #groupIdsOf} filter out (and remove) when they meet it; it can never leave a member missing from its
 * device's index, so a connector always learns every group a member is in. {@link #groupCount} counts the index as it
 * is: after such a crash it may count a group that is gone, erring on the side of the app's group limit.
 */
public final class RedisGroupStore implements GroupStore {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int GROUP_ID_BYTES = 12;

  private static final String APP = "app";
  private static final String NAME = "name";
  private static final String OWNER = "owner";
  private static final String CREATED = "created";

  // Member lists are written in slices: Lua's unpack has a stack limit of a few thousand values.
  private static final String SADD_ALL =
      """
      local function saddAll(key, from)
        local added = {}
        for i = from, #ARGV do
          if redis.call('sadd', key, ARGV[i]) == 1 then table.insert(added, ARGV[i]) end
        end
        return added
      end
      """;

  // KEYS: group hash, members. ARGV: app, name, owner, created, members... Returns 1, or 0 when the id is taken.
  private static final String CREATE =
      SADD_ALL
          + """
          if redis.call('exists', KEYS[1]) == 1 then return 0 end
          redis.call('hset', KEYS[1], 'app', ARGV[1], 'name', ARGV[2], 'owner', ARGV[3], 'created', ARGV[4])
          saddAll(KEYS[2], 5)
          return 1
          """;

  // KEYS: group hash, members. ARGV: app, reg ids... Returns {'1', added...}, or {'0'} for no such group in the app.
  private static final String ADD_MEMBERS =
      SADD_ALL
          + """
          if redis.call('hget', KEYS[1], 'app') ~= ARGV[1] then return {'0'} end
          local added = saddAll(KEYS[2], 2)
          table.insert(added, 1, '1')
          return added
          """;

  // KEYS: group hash, members. ARGV: app, reg id. 1 when it was a member.
  private static final String REMOVE_MEMBER =
      """
      if redis.call('hget', KEYS[1], 'app') ~= ARGV[1] then return 0 end
      return redis.call('srem', KEYS[2], ARGV[2])
      """;

  // KEYS: group hash, members. ARGV: app. Returns {'1', former members...}, or {'0'}.
  private static final String DISMISS =
      """
      if redis.call('hget', KEYS[1], 'app') ~= ARGV[1] then return {'0'} end
      local members = redis.call('smembers', KEYS[2])
      redis.call('del', KEYS[1], KEYS[2])
      table.insert(members, 1, '1')
      return members
      """;

  // KEYS: group hash, members. ARGV: app, what ('count', 'all', 'among', 'is'), reg ids...
  // Returns {'0'} for no such group in the app, else {'1', answer...}.
  private static final String READ_MEMBERS =
      """
      if redis.call('hget', KEYS[1], 'app') ~= ARGV[1] then return {'0'} end
      local what = ARGV[2]
      if what == 'count' then return {'1', tostring(redis.call('scard', KEYS[2]))} end
      if what == 'all' then
        local all = redis.call('smembers', KEYS[2])
        table.insert(all, 1, '1')
        return all
      end
      local out = {'1'}
      for i = 3, #ARGV do
        if redis.call('sismember', KEYS[2], ARGV[i]) == 1 then table.insert(out, ARGV[i]) end
      end
      return out
      """;

  // KEYS: app groups, device indexes... (the app's slot). ARGV: 'add' or 'rem', group id.
  private static final String INDEX =
      """
      local op = ARGV[1] == 'add' and 'sadd' or 'srem'
      for i = 1, #KEYS do redis.call(op, KEYS[i], ARGV[2]) end
      return #KEYS
      """;

  private final RedissonClient redisson;
  private final RedisKeys keys;
  private final Clock clock;

  public RedisGroupStore(RedissonClient redisson, String keyPrefix) {
    this(redisson, keyPrefix, Clock.systemUTC());
  }

  public RedisGroupStore(RedissonClient redisson, String keyPrefix, Clock clock) {
    this.redisson = redisson;
    this.keys = new RedisKeys(keyPrefix);
    this.clock = clock;
  }

  /** 24 lowercase hex characters: never holds the {@code .} that ids chosen by callers may. */
  static String newGroupId() {
    byte[] bytes = new byte[GROUP_ID_BYTES];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public Group create(String appId, String name, String owner, Collection<String> members) {
    while (true) {
      Optional<Group> created = createWithId(appId, newGroupId(), name, owner, members);
      if (created.isPresent()) {
        return created.get();
      }
    }
  }

  @Override
  public Optional<Group> createWithId(
      String appId, String groupId, String name, String owner, Collection<String> members) {
    Set<String> all = new LinkedHashSet<>(members);
    if (owner != null && !owner.isEmpty()) {
      all.add(owner);
    }
    long now = clock.millis();
    if (call("group lookup", () -> redisson.getKeys().countExists(keys.group(groupId))) > 0) {
      return Optional.empty();
    }
    // Indexes first (see the class comment): a crash after this leaves entries that reads filter out.
    index("add", appId, groupId, all, true);
    List<Object> args = new ArrayList<>(List.of(appId, nonNull(name), nonNull(owner), Long.toString(now)));
    args.addAll(all);
    long created = call("group create", () -> evalLong(CREATE, groupKeys(groupId), args.toArray()));
    if (created == 0) {
      return Optional.empty();
    }
    return Optional.of(new Group(groupId, appId, nonNull(name), nonNull(owner), now));
  }

  @Override
  public Optional<Group> find(String appId, String groupId) {
    Map<String, String> fields =
        call(
            "group find",
            () -> redisson.<String, String>getMap(keys.group(groupId), StringCodec.INSTANCE).readAllMap());
    if (!appId.equals(fields.get(APP))) {
      return Optional.empty();
    }
    return Optional.of(
        new Group(
            groupId, appId, nonNull(fields.get(NAME)), nonNull(fields.get(OWNER)), parseLong(fields.get(CREATED))));
  }

  @Override
  public boolean dismiss(String appId, String groupId) {
    List<Object> reply = call("group dismiss", () -> evalList(DISMISS, groupKeys(groupId), appId));
    if (!"1".equals(reply.get(0))) {
      return false;
    }
    List<String> former = strings(reply.subList(1, reply.size()));
    index("rem", appId, groupId, former, true);
    return true;
  }

  @Override
  public Set<String> addMembers(String appId, String groupId, Collection<String> regIds) {
    Set<String> candidates = new LinkedHashSet<>(regIds);
    if (candidates.isEmpty() || find(appId, groupId).isEmpty()) {
      return Set.of();
    }
    index("add", appId, groupId, candidates, false);
    List<Object> args = new ArrayList<>();
    args.add(appId);
    args.addAll(candidates);
    List<Object> reply = call("group join", () -> evalList(ADD_MEMBERS, groupKeys(groupId), args.toArray()));
    if (!"1".equals(reply.get(0))) {
      // Dismissed meanwhile: the index entries just written name a group that is gone, and are filtered out.
      return Set.of();
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(strings(reply.subList(1, reply.size()))));
  }

  @Override
  public boolean removeMember(String appId, String groupId, String regId) {
    boolean removed =
        call("group leave", () -> evalLong(REMOVE_MEMBER, groupKeys(groupId), appId, regId)) == 1L;
    if (removed) {
      index("rem", appId, groupId, List.of(regId), false);
    }
    return removed;
  }

  @Override
  public boolean isMember(String appId, String groupId, String regId) {
    return !membersAmong(appId, groupId, List.of(regId)).isEmpty();
  }

  @Override
  public Set<String> members(String appId, String groupId) {
    List<Object> reply = readMembers(appId, groupId, "all", List.of());
    return reply.isEmpty() ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(strings(reply)));
  }

  @Override
  public long memberCount(String appId, String groupId) {
    List<Object> reply = readMembers(appId, groupId, "count", List.of());
    return reply.isEmpty() ? 0 : parseLong((String) reply.get(0));
  }

  @Override
  public Set<String> membersAmong(String appId, String groupId, Collection<String> regIds) {
    if (regIds.isEmpty()) {
      return Set.of();
    }
    List<Object> reply = readMembers(appId, groupId, "among", new LinkedHashSet<>(regIds));
    return Collections.unmodifiableSet(new LinkedHashSet<>(strings(reply)));
  }

  @Override
  public Set<String> groupsOf(String appId, String regId) {
    String indexKey = keys.deviceGroups(appId, regId);
    Set<String> indexed =
        call("device groups", () -> redisson.<String>getSet(indexKey, StringCodec.INSTANCE).readAll());
    if (indexed.isEmpty()) {
      return Set.of();
    }
    List<String> ids = new ArrayList<>(indexed);
    List<Boolean> member = checkEach(ids, appId, regId);
    Set<String> groups = new LinkedHashSet<>();
    List<String> stale = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      (member.get(i) ? groups : stale).add(ids.get(i));
    }
    if (!stale.isEmpty()) {
      run("device groups cleanup", () -> redisson.getSet(indexKey, StringCodec.INSTANCE).removeAll(stale));
    }
    return Collections.unmodifiableSet(groups);
  }

  @Override
  public long groupCount(String appId) {
    return call("group count", () -> (long) redisson.getSet(keys.appGroups(appId), StringCodec.INSTANCE).size());
  }

  @Override
  public List<String> groupIdsOf(String appId, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    String indexKey = keys.appGroups(appId);
    List<String> ids =
        new ArrayList<>(
            call(
                "app groups",
                () -> redisson.<String>getSet(indexKey, StringCodec.INSTANCE).random(limit)));
    List<Boolean> live = checkEach(ids, appId, null);
    List<String> groups = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      (live.get(i) ? groups : stale).add(ids.get(i));
    }
    if (!stale.isEmpty()) {
      run("app groups cleanup", () -> redisson.getSet(indexKey, StringCodec.INSTANCE).removeAll(stale));
    }
    Collections.sort(groups);
    return List.copyOf(groups);
  }

  // --- helpers ------------------------------------------------------------------------------------------------------

  /**
   * For each group, whether it exists in the app and (with a reg id) has the device as a member: the truth behind an
   * index. One round trip (a batch, which Redisson splits by slot on a cluster).
   */
  private List<Boolean> checkEach(List<String> groupIds, String appId, String regId) {
    if (groupIds.isEmpty()) {
      return List.of();
    }
    return call(
        "group check",
        () -> {
          RBatch batch = redisson.createBatch();
          List<RFuture<List<Object>>> replies = new ArrayList<>(groupIds.size());
          for (String id : groupIds) {
            List<Object> args = new ArrayList<>(List.of(appId, regId == null ? "count" : "among"));
            if (regId != null) {
              args.add(regId);
            }
            replies.add(
                batch
                    .getScript(StringCodec.INSTANCE)
                    .evalAsync(
                        RScript.Mode.READ_ONLY,
                        READ_MEMBERS,
                        RScript.ReturnType.MULTI,
                        groupKeys(id),
                        args.toArray()));
          }
          batch.execute();
          List<Boolean> answers = new ArrayList<>(replies.size());
          for (RFuture<List<Object>> reply : replies) {
            List<Object> values = reply.toCompletableFuture().join();
            answers.add("1".equals(values.get(0)) && values.size() == 2);
          }
          return answers;
        });
  }

  private List<Object> readMembers(String appId, String groupId, String what, Collection<String> regIds) {
    List<Object> args = new ArrayList<>(List.of(appId, what));
    args.addAll(regIds);
    List<Object> reply =
        call(
            "group members",
            () ->
                redisson
                    .getScript(StringCodec.INSTANCE)
                    .<List<Object>>eval(
                        RScript.Mode.READ_ONLY,
                        READ_MEMBERS,
                        RScript.ReturnType.MULTI,
                        groupKeys(groupId),
                        args.toArray()));
    return "1".equals(reply.get(0)) ? reply.subList(1, reply.size()) : List.of();
  }

  /** Adds or removes the group in the app's index and the devices' indexes, in one script on the app's slot. */
  private void index(String op, String appId, String groupId, Collection<String> regIds, boolean appIndex) {
    List<Object> indexKeys = new ArrayList<>(regIds.size() + 1);
    if (appIndex) {
      indexKeys.add(keys.appGroups(appId));
    }
    for (String regId : regIds) {
      indexKeys.add(keys.deviceGroups(appId, regId));
    }
    if (indexKeys.isEmpty()) {
      return;
    }
    run("group index", () -> evalLong(INDEX, indexKeys, op, groupId));
  }

  private List<Object> groupKeys(String groupId) {
    return List.of(keys.group(groupId), keys.groupMembers(groupId));
  }

  private long evalLong(String script, List<Object> scriptKeys, Object... args) {
    Long result =
        redisson
            .getScript(StringCodec.INSTANCE)
            .eval(RScript.Mode.READ_WRITE, script, RScript.ReturnType.INTEGER, scriptKeys, args);
    return result == null ? 0 : result;
  }

  private List<Object> evalList(String script, List<Object> scriptKeys, Object... args) {
    return redisson
        .getScript(StringCodec.INSTANCE)
        .eval(RScript.Mode.READ_WRITE, script, RScript.ReturnType.MULTI, scriptKeys, args);
  }

  private static List<String> strings(List<Object> values) {
    List<String> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add((String) v));
    return out;
  }
}
