package io.universepush.store.redis;

import static io.universepush.store.redis.RedisFailures.call;
import static io.universepush.store.redis.Values.emptyToNull;
import static io.universepush.store.redis.Values.nonNull;
import static io.universepush.store.redis.Values.parseLong;

import io.universepush.store.device.Device;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.device.DeviceStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Devices as {@code dev:{app}:{reg}} hashes (platform, token hash, alias, tags, created), with {@code
 * alias:{app}:{alias}}, {@code tag:{app}:{tag}} and {@code appdevs:{app}} index sets kept in step by Lua scripts, so
 * an index never names a device whose hash says otherwise.
 *
 * <p>Legacy universe_push devices have no secret at all: their SUB frame carries only a uid, and the server answers
 * with a token that the app server then pushes to. To give the same uid the same token back (universe_push's model),
 * the plain token of a uid-bound legacy device is kept in its hash ({@code ltoken}); {@code legacy:uid:{app}:{uid}}
 * maps the uid to the reg id and {@code legacy:token:{sha256(token)}} maps the token to the reg id, so a token
 * resolves without being stored in clear anywhere else. Anyone who knows a uid can obtain its token: that is the
 * legacy protocol, and the reason new clients use registered devices with per-device tokens instead.
 */
public final class RedisDeviceStore implements DeviceStore {
  static final String LEGACY_PLATFORM = "legacy";

  private static final String PLATFORM = "platform";
  private static final String TOKEN = "token";
  private static final String ALIAS = "alias";
  private static final String TAGS = "tags";
  private static final String CREATED = "created";
  private static final String TAG_SEPARATOR = "\n";

  // ARGV: aliasPrefix, tagPrefix, regId, platform, tokenHash, alias, joinedTags, created, tags...
  private static final String REGISTER =
      """
      if redis.call('exists', KEYS[1]) == 1 then return 0 end
      redis.call('hset', KEYS[1], 'platform', ARGV[4], 'token', ARGV[5], 'alias', ARGV[6], 'tags', ARGV[7],
        'created', ARGV[8])
      redis.call('sadd', KEYS[2], ARGV[3])
      if ARGV[6] ~= '' then redis.call('sadd', ARGV[1] .. ARGV[6], ARGV[3]) end
      for i = 9, #ARGV do redis.call('sadd', ARGV[2] .. ARGV[i], ARGV[3]) end
      return 1
      """;

  // ARGV: aliasPrefix, tagPrefix, regId, alias, joinedTags, platform ('' keeps it), tags...
  private static final String UPDATE =
      """
      if redis.call('exists', KEYS[1]) == 0 then return 0 end
      local old = redis.call('hmget', KEYS[1], 'alias', 'tags')
      if old[1] and old[1] ~= '' then redis.call('srem', ARGV[1] .. old[1], ARGV[3]) end
      if old[2] and old[2] ~= '' then
        for tag in string.gmatch(old[2], '[^\\n]+') do redis.call('srem', ARGV[2] .. tag, ARGV[3]) end
      end
      if ARGV[4] ~= '' then redis.call('sadd', ARGV[1] .. ARGV[4], ARGV[3]) end
      for i = 7, #ARGV do redis.call('sadd', ARGV[2] .. ARGV[i], ARGV[3]) end
      redis.call('hset', KEYS[1], 'alias', ARGV[4], 'tags', ARGV[5])
      if ARGV[6] ~= '' then redis.call('hset', KEYS[1], 'platform', ARGV[6]) end
      return 1
      """;

  // ARGV: aliasPrefix, tagPrefix, regId, legacyUidPrefix, legacyTokenPrefix
  private static final String DELETE =
      """
      local f = redis.call('hmget', KEYS[1], 'alias', 'tags', 'legacy', 'luid', 'token')
      if redis.call('del', KEYS[1]) == 0 then return 0 end
      redis.call('srem', KEYS[2], ARGV[3])
      if f[1] and f[1] ~= '' then redis.call('srem', ARGV[1] .. f[1], ARGV[3]) end
      if f[2] and f[2] ~= '' then
        for tag in string.gmatch(f[2], '[^\\n]+') do redis.call('srem', ARGV[2] .. tag, ARGV[3]) end
      end
      if f[3] == '1' then
        if f[5] then redis.call('del', ARGV[5] .. f[5]) end
        if f[4] and f[4] ~= '' and redis.call('get', ARGV[4] .. f[4]) == ARGV[3] then
          redis.call('del', ARGV[4] .. f[4])
        end
      end
      return 1
      """;

  // KEYS: legacyUidKey, appDevices. ARGV: devicePrefix, regId, token, tokenHash, created, uid, legacyTokenPrefix.
  // Returns {regId, token, created}: the existing device's for a known uid, else the new one's.
  private static final String SUBSCRIBE_LEGACY =
      """
      local uid = ARGV[6]
      if uid ~= '' then
        local existing = redis.call('get', KEYS[1])
        if existing then
          local f = redis.call('hmget', ARGV[1] .. existing, 'ltoken', 'created')
          if f[1] then return {existing, f[1], f[2] or '0'} end
        end
      end
      local dev = ARGV[1] .. ARGV[2]
      redis.call('hset', dev, 'platform', 'legacy', 'token', ARGV[4], 'alias', '', 'tags', '', 'created', ARGV[5],
        'legacy', '1')
      if uid ~= '' then
        redis.call('hset', dev, 'luid', uid, 'ltoken', ARGV[3])
        redis.call('set', KEYS[1], ARGV[2])
      end
      redis.call('set', ARGV[7] .. ARGV[4], ARGV[2])
      redis.call('sadd', KEYS[2], ARGV[2])
      return {ARGV[2], ARGV[3], ARGV[5]}
      """;

  // ARGV: tagPrefix, tagCount, tags..., regIds... Returns the reg ids that are in at least one tag set.
  private static final String WITH_ANY_TAG =
      """
      local tagCount = tonumber(ARGV[2])
      local first = 3 + tagCount
      local candidates = {}
      for i = first, #ARGV do candidates[#candidates + 1] = ARGV[i] end
      local found = {}
      local out = {}
      -- unpack is bounded by Lua's C stack, hence chunks
      for t = 3, 2 + tagCount do
        for s = 1, #candidates, 1000 do
          local e = math.min(s + 999, #candidates)
          local flags = redis.call('smismember', ARGV[1] .. ARGV[t], unpack(candidates, s, e))
          for i = 1, #flags do
            local regId = candidates[s + i - 1]
            if flags[i] == 1 and not found[regId] then
              found[regId] = true
              out[#out + 1] = regId
            end
          end
        end
      end
      return out
      """;

  private final RedissonClient redisson;
  private final RedisKeys keys;

  public RedisDeviceStore(RedissonClient redisson, String keyPrefix) {
    this.redisson = redisson;
    this.keys = new RedisKeys(keyPrefix);
  }

  @Override
  public DeviceRegistration register(String appId, String platform, String alias, Set<String> tags) {
    Set<String> cleanTags = cleanTags(tags);
    String cleanAlias = nonNull(alias);
    return call(
        "device registration",
        () -> {
          String token = Secrets.newSecret();
          long created = System.currentTimeMillis();
          String regId;
          do {
            regId = Secrets.newRegId();
          } while (evalLong(
                  REGISTER,
                  List.of(keys.device(appId, regId), keys.appDevices(appId)),
                  withTags(
                      cleanTags,
                      keys.aliasPrefix(appId),
                      keys.tagPrefix(appId),
                      regId,
                      nonNull(platform),
                      Secrets.sha256Hex(token),
                      cleanAlias,
                      String.join(TAG_SEPARATOR, cleanTags),
                      Long.toString(created)))
              != 1L);
          return new DeviceRegistration(
              new Device(appId, regId, emptyToNull(platform), emptyToNull(cleanAlias), cleanTags, created), token);
        });
  }

  @Override
  public Optional<Device> find(String appId, String regId) {
    return call("device lookup", () -> toDevice(appId, regId, hash(appId, regId)));
  }

  @Override
  public boolean verifyToken(String appId, String regId, String token) {
    if (appId == null || regId == null || token == null) {
      return false;
    }
    return call(
        "device token check",
        () ->
            Secrets.matches(
                token,
                redisson.<String, String>getMap(keys.device(appId, regId), StringCodec.INSTANCE).get(TOKEN)));
  }

  @Override
  public List<TokenCheck> checkTokens(String appId, List<Credentials> credentials) {
    if (credentials.isEmpty()) {
      return List.of();
    }
    return call(
        "device token check",
        () -> {
          RBatch batch = redisson.createBatch();
          List<RFuture<Map<String, String>>> hashes = new ArrayList<>(credentials.size());
          for (Credentials c : credentials) {
            hashes.add(
                batch.<String, String>getMap(keys.device(appId, c.regId()), StringCodec.INSTANCE).readAllMapAsync());
          }
          batch.execute();
          List<TokenCheck> checks = new ArrayList<>(credentials.size());
          for (int i = 0; i < credentials.size(); i++) {
            Map<String, String> fields = hashes.get(i).toCompletableFuture().join();
            Credentials c = credentials.get(i);
            Optional<Device> device = toDevice(appId, c.regId(), fields);
            boolean matches =
                device.isPresent() && Secrets.matches(c.token() == null ? "" : c.token(), fields.get(TOKEN));
            checks.add(new TokenCheck(device, matches));
          }
          return checks;
        });
  }

  @Override
  public Optional<Device> update(String appId, String regId, String platform, String alias, Set<String> tags) {
    Set<String> cleanTags = cleanTags(tags);
    String cleanAlias = nonNull(alias);
    return call(
        "device update",
        () -> {
          long updated =
              evalLong(
                  UPDATE,
                  List.of(keys.device(appId, regId)),
                  withTags(
                      cleanTags,
                      keys.aliasPrefix(appId),
                      keys.tagPrefix(appId),
                      regId,
                      cleanAlias,
                      String.join(TAG_SEPARATOR, cleanTags),
                      nonNull(platform)));
          return updated == 1L ? toDevice(appId, regId, hash(appId, regId)) : Optional.<Device>empty();
        });
  }

  @Override
  public boolean delete(String appId, String regId) {
    return call(
        "device delete",
        () ->
            evalLong(
                    DELETE,
                    List.of(keys.device(appId, regId), keys.appDevices(appId)),
                    keys.aliasPrefix(appId),
                    keys.tagPrefix(appId),
                    regId,
                    keys.legacyUid(appId, ""),
                    keys.legacyTokenPrefix())
                == 1L);
  }

  @Override
  public Set<String> regIdsByAlias(String appId, String alias) {
    if (alias == null || alias.isEmpty()) {
      return Set.of();
    }
    return call("alias lookup", () -> members(keys.alias(appId, alias)));
  }

  @Override
  public Set<String> regIdsByTag(String appId, String tag) {
    if (tag == null || tag.isEmpty()) {
      return Set.of();
    }
    return call("tag lookup", () -> members(keys.tag(appId, tag)));
  }

  @Override
  public List<String> existing(String appId, Collection<String> regIds) {
    if (regIds.isEmpty()) {
      return List.of();
    }
    return call(
        "device existence check",
        () -> {
          RBatch batch = redisson.createBatch();
          Map<String, RFuture<Boolean>> futures = new LinkedHashMap<>();
          for (String regId : regIds) {
            futures.computeIfAbsent(
                regId, id -> batch.getMap(keys.device(appId, id), StringCodec.INSTANCE).isExistsAsync());
          }
          batch.execute();
          List<String> found = new ArrayList<>();
          futures.forEach(
              (regId, exists) -> {
                if (Boolean.TRUE.equals(exists.toCompletableFuture().join())) {
                  found.add(regId);
                }
              });
          return found;
        });
  }

  @Override
  public List<String> regIdsOfApp(String appId) {
    return call("app devices listing", () -> List.copyOf(members(keys.appDevices(appId))));
  }

  @Override
  public Set<String> withAnyTag(String appId, Collection<String> tags, Collection<String> regIds) {
    Set<String> cleanTags = new TreeSet<>();
    for (String tag : tags) {
      if (tag != null && !tag.isEmpty()) {
        cleanTags.add(tag);
      }
    }
    Set<String> candidates = new LinkedHashSet<>(regIds);
    if (cleanTags.isEmpty() || candidates.isEmpty()) {
      return Set.of();
    }
    Object[] args = new Object[2 + cleanTags.size() + candidates.size()];
    args[0] = keys.tagPrefix(appId);
    args[1] = Integer.toString(cleanTags.size());
    int i = 2;
    for (String tag : cleanTags) {
      args[i++] = tag;
    }
    for (String regId : candidates) {
      args[i++] = regId;
    }
    return call(
        "tag membership check",
        () -> {
          List<Object> matching =
              redisson
                  .getScript(StringCodec.INSTANCE)
                  .eval(RScript.Mode.READ_ONLY, WITH_ANY_TAG, RScript.ReturnType.MULTI, List.of(), args);
          Set<String> found = new LinkedHashSet<>();
          matching.forEach(regId -> found.add((String) regId));
          return Collections.unmodifiableSet(found);
        });
  }

  @Override
  public Map<String, Device> findAll(String appId, Collection<String> regIds) {
    if (regIds.isEmpty()) {
      return Map.of();
    }
    return call(
        "device lookup",
        () -> {
          RBatch batch = redisson.createBatch();
          Map<String, RFuture<Map<String, String>>> futures = new LinkedHashMap<>();
          for (String regId : regIds) {
            futures.computeIfAbsent(
                regId,
                id -> batch.<String, String>getMap(keys.device(appId, id), StringCodec.INSTANCE).readAllMapAsync());
          }
          batch.execute();
          Map<String, Device> found = new LinkedHashMap<>();
          futures.forEach(
              (regId, fields) ->
                  toDevice(appId, regId, fields.toCompletableFuture().join())
                      .ifPresent(device -> found.put(regId, device)));
          return found;
        });
  }

  @Override
  public long countByTags(String appId, Collection<String> tags) {
    Set<String> distinct = new TreeSet<>();
    for (String tag : tags) {
      if (tag != null && !tag.isEmpty()) {
        distinct.add(tag);
      }
    }
    if (distinct.isEmpty()) {
      return 0;
    }
    return call(
        "tag count",
        () -> {
          RBatch batch = redisson.createBatch();
          List<RFuture<Integer>> sizes = new ArrayList<>();
          for (String tag : distinct) {
            sizes.add(batch.getSet(keys.tag(appId, tag), StringCodec.INSTANCE).sizeAsync());
          }
          batch.execute();
          long total = 0;
          for (RFuture<Integer> size : sizes) {
            total += size.toCompletableFuture().join();
          }
          return total;
        });
  }

  @Override
  public long countOfApp(String appId) {
    return call("app device count", () -> (long) redisson.getSet(keys.appDevices(appId), StringCodec.INSTANCE).size());
  }

  @Override
  public DeviceRegistration subscribeLegacy(String appId, String uid) {
    String cleanUid = nonNull(uid);
    return call(
        "legacy subscription",
        () -> {
          String regId = Secrets.newRegId();
          String token = Secrets.newSecret();
          List<Object> answer =
              redisson
                  .getScript(StringCodec.INSTANCE)
                  .eval(
                      RScript.Mode.READ_WRITE,
                      SUBSCRIBE_LEGACY,
                      RScript.ReturnType.MULTI,
                      List.of(keys.legacyUid(appId, cleanUid), keys.appDevices(appId)),
                      keys.device(appId, ""),
                      regId,
                      token,
                      Secrets.sha256Hex(token),
                      Long.toString(System.currentTimeMillis()),
                      cleanUid,
                      keys.legacyTokenPrefix());
          String boundRegId = (String) answer.get(0);
          String boundToken = (String) answer.get(1);
          long created = parseLong((String) answer.get(2));
          return new DeviceRegistration(
              new Device(appId, boundRegId, LEGACY_PLATFORM, null, Set.of(), created), boundToken);
        });
  }

  @Override
  public List<DeviceRegistration> subscribeLegacyAll(String appId, List<String> uids) {
    if (uids.isEmpty()) {
      return List.of();
    }
    return call(
        "legacy subscription",
        () -> {
          RBatch batch = redisson.createBatch();
          List<RFuture<List<Object>>> answers = new ArrayList<>(uids.size());
          String created = Long.toString(System.currentTimeMillis());
          for (String uid : uids) {
            String cleanUid = nonNull(uid);
            String token = Secrets.newSecret();
            answers.add(
                batch
                    .getScript(StringCodec.INSTANCE)
                    .evalAsync(
                        RScript.Mode.READ_WRITE,
                        SUBSCRIBE_LEGACY,
                        RScript.ReturnType.MULTI,
                        List.of(keys.legacyUid(appId, cleanUid), keys.appDevices(appId)),
                        keys.device(appId, ""),
                        Secrets.newRegId(),
                        token,
                        Secrets.sha256Hex(token),
                        created,
                        cleanUid,
                        keys.legacyTokenPrefix()));
          }
          batch.execute();
          List<DeviceRegistration> registrations = new ArrayList<>(uids.size());
          for (RFuture<List<Object>> future : answers) {
            List<Object> answer = future.toCompletableFuture().join();
            registrations.add(
                new DeviceRegistration(
                    new Device(
                        appId, (String) answer.get(0), LEGACY_PLATFORM, null, Set.of(), parseLong((String) answer.get(2))),
                    (String) answer.get(1)));
          }
          return registrations;
        });
  }

  @Override
  public Optional<String> resolveLegacyToken(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    return call(
        "legacy token lookup",
        () ->
            Optional.ofNullable(
                redisson
                    .<String>getBucket(keys.legacyToken(Secrets.sha256Hex(token)), StringCodec.INSTANCE)
                    .get()));
  }

  private Map<String, String> hash(String appId, String regId) {
    return redisson.<String, String>getMap(keys.device(appId, regId), StringCodec.INSTANCE).readAllMap();
  }

  private Set<String> members(String key) {
    return Collections.unmodifiableSet(
        new TreeSet<>(redisson.<String>getSet(key, StringCodec.INSTANCE).readAll()));
  }

  private long evalLong(String script, List<Object> scriptKeys, Object... args) {
    Long result =
        redisson
            .getScript(StringCodec.INSTANCE)
            .eval(RScript.Mode.READ_WRITE, script, RScript.ReturnType.INTEGER, scriptKeys, args);
    return result == null ? 0L : result;
  }

  private static Object[] withTags(Set<String> tags, Object... leading) {
    Object[] args = Arrays.copyOf(leading, leading.length + tags.size());
    int i = leading.length;
    for (String tag : tags) {
      args[i++] = tag;
    }
    return args;
  }

  private static Optional<Device> toDevice(String appId, String regId, Map<String, String> fields) {
    if (fields == null || fields.isEmpty()) {
      return Optional.empty();
    }
    String joinedTags = fields.get(TAGS);
    Set<String> tags =
        joinedTags == null || joinedTags.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(new TreeSet<>(Arrays.asList(joinedTags.split(TAG_SEPARATOR))));
    return Optional.of(
        new Device(
            appId,
            regId,
            emptyToNull(fields.get(PLATFORM)),
            emptyToNull(fields.get(ALIAS)),
            tags,
            parseLong(fields.get(CREATED))));
  }

  /** Drops empty tags; tags are stored newline-separated, so a newline inside one is refused. */
  private static Set<String> cleanTags(Set<String> tags) {
    if (tags == null || tags.isEmpty()) {
      return Set.of();
    }
    Set<String> clean = new TreeSet<>();
    for (String tag : tags) {
      if (tag == null || tag.isEmpty()) {
        continue;
      }
      if (tag.contains(TAG_SEPARATOR)) {
        throw new IllegalArgumentException("a tag must not contain a line break: " + tag);
      }
      clean.add(tag);
    }
    return Collections.unmodifiableSet(clean);
  }

}
