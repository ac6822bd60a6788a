package io.universepush.store.redis;

import static io.universepush.store.redis.RedisFailures.call;
import static io.universepush.store.redis.Values.emptyToNull;
import static io.universepush.store.redis.Values.nonNull;
import static io.universepush.store.redis.Values.parseLong;

import io.universepush.store.device.Device;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.fanout.FanoutPosition;
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
 * Devices as {@code dev:{<app>}:<reg>} hashes (platform, token hash, alias, tags, created), with {@code
 * alias:{<app>}:<alias>}, {@code tag:{<app>}:<tag>} and {@code appdevs:{<app>}} index sets kept in step by Lua
 * scripts, so an index never names a device whose hash says otherwise. All of an app's device keys share the hash tag
 * {@code {<app>}}, one Redis Cluster slot, which is what lets those scripts stay atomic (and lets the fan-out's tag
 * checks run as one script); the price is that one app's devices live on one Redis node (docs/OPERATIONS.md, sizing).
 * A script touches only keys it is given: where the keys depend on what the hash holds (the old alias and tags of an
 * update or delete), the hash is read first and the script refuses (-1) if it changed meanwhile, and the call retries.
 *
 * <p>Legacy universe_push devices have no secret at all: their SUB frame carries only a uid, and the server answers
 * with a token that the app server then pushes to. To give the same uid the same token back (universe_push's model),
 * the plain token of a uid-bound legacy device is kept in its hash ({@code ltoken}); {@code legacy:uid:{<app>}:<uid>}
 * maps the uid to the reg id and {@code legacy:token:<sha256(token)>} maps the token to the reg id, so a token
 * resolves without being stored in clear anywhere else. The token index is looked up without an app, so it sits in
 * its own slot and is written after the device (and written again whenever the uid subscribes again, which repairs a
 * write lost in between); a deleted device's entry is removed after the device, only while it still names it.
 * Anyone who knows a uid can obtain its token: that is the legacy protocol, and the reason new clients use registered
 * devices with per-device tokens instead.
 */
public final class RedisDeviceStore implements DeviceStore {
  static final String LEGACY_PLATFORM = "legacy";

  private static final String PLATFORM = "platform";
  private static final String TOKEN = "token";
  private static final String ALIAS = "alias";
  private static final String TAGS = "tags";
  private static final String CREATED = "created";
  private static final String LEGACY = "legacy";
  private static final String LEGACY_UID = "luid";
  private static final String LEGACY_TOKEN = "ltoken";
  private static final String TAG_SEPARATOR = "\n";
  private static final String FANOUT_OFFSET = "fanout_offset";
  private static final String FANOUT_EPOCH = "fanout_epoch";

  // KEYS: device hash. ARGV: offset, epoch. Never creates the hash: a deleted device stays deleted.
  private static final String SAVE_FANOUT_POSITION =
      """
      if redis.call('exists', KEYS[1]) == 0 then return 0 end
      redis.call('hset', KEYS[1], 'fanout_offset', ARGV[1], 'fanout_epoch', ARGV[2])
      return 1
      """;

  /** A script refused because the device changed between the read and the write. */
  private static final long CHANGED = -1L;

  // KEYS: device, appDevices, alias, tags... ARGV: regId, platform, tokenHash, alias, joinedTags, created
  private static final String REGISTER =
      """
      if redis.call('exists', KEYS[1]) == 1 then return 0 end
      redis.call('hset', KEYS[1], 'platform', ARGV[2], 'token', ARGV[3], 'alias', ARGV[4], 'tags', ARGV[5],
        'created', ARGV[6])
      redis.call('sadd', KEYS[2], ARGV[1])
      if ARGV[4] ~= '' then redis.call('sadd', KEYS[3], ARGV[1]) end
      for i = 4, #KEYS do redis.call('sadd', KEYS[i], ARGV[1]) end
      return 1
      """;

  // KEYS: device, oldAlias, newAlias, oldTags..., newTags... ARGV: regId, seenAlias, seenTags, alias, joinedTags,
  // platform ('' keeps it), oldTagCount. 0: no such device; -1: alias or tags changed since they were read.
  private static final String UPDATE =
      """
      if redis.call('exists', KEYS[1]) == 0 then return 0 end
      local old = redis.call('hmget', KEYS[1], 'alias', 'tags')
      if (old[1] or '') ~= ARGV[2] or (old[2] or '') ~= ARGV[3] then return -1 end
      local oldTags = tonumber(ARGV[7])
      if ARGV[2] ~= '' then redis.call('srem', KEYS[2], ARGV[1]) end
      for i = 4, 3 + oldTags do redis.call('srem', KEYS[i], ARGV[1]) end
      if ARGV[4] ~= '' then redis.call('sadd', KEYS[3], ARGV[1]) end
      for i = 4 + oldTags, #KEYS do redis.call('sadd', KEYS[i], ARGV[1]) end
      redis.call('hset', KEYS[1], 'alias', ARGV[4], 'tags', ARGV[5])
      if ARGV[6] ~= '' then redis.call('hset', KEYS[1], 'platform', ARGV[6]) end
      return 1
      """;

  // KEYS: device, appDevices, alias, legacyUid, tags... ARGV: regId, seenAlias, seenTags, seenUid. 0: no such device;
  // -1: changed since read.
  private static final String DELETE =
      """
      local f = redis.call('hmget', KEYS[1], 'alias', 'tags', 'luid')
      if redis.call('exists', KEYS[1]) == 0 then return 0 end
      if (f[1] or '') ~= ARGV[2] or (f[2] or '') ~= ARGV[3] or (f[3] or '') ~= ARGV[4] then return -1 end
      redis.call('del', KEYS[1])
      redis.call('srem', KEYS[2], ARGV[1])
      if ARGV[2] ~= '' then redis.call('srem', KEYS[3], ARGV[1]) end
      for i = 5, #KEYS do redis.call('srem', KEYS[i], ARGV[1]) end
      if ARGV[4] ~= '' and redis.call('get', KEYS[4]) == ARGV[1] then redis.call('del', KEYS[4]) end
      return 1
      """;

  // KEYS: legacyUid, device, appDevices. ARGV: regId, token, tokenHash, created, uid, staleRegId. Creates the device
  // and binds the uid to it, unless the uid is bound to another device than the stale one the caller saw (0).
  private static final String SUBSCRIBE_LEGACY =
      """
      local uid = ARGV[5]
      if uid ~= '' then
        local bound = redis.call('get', KEYS[1])
        if bound and bound ~= ARGV[6] then return 0 end
      end
      redis.call('hset', KEYS[2], 'platform', 'legacy', 'token', ARGV[3], 'alias', '', 'tags', '', 'created', ARGV[4],
        'legacy', '1')
      if uid ~= '' then
        redis.call('hset', KEYS[2], 'luid', uid, 'ltoken', ARGV[2])
        redis.call('set', KEYS[1], ARGV[1])
      end
      redis.call('sadd', KEYS[3], ARGV[1])
      return 1
      """;

  // KEYS: legacyToken. ARGV: regId. Deletes the token's entry only while it names this device.
  private static final String DELETE_IF_NAMES =
      """
      if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
      return 0
      """;

  // KEYS: tag sets. ARGV: regIds. Returns the reg ids that are in at least one tag set.
  private static final String WITH_ANY_TAG =
      """
      local found = {}
      local out = {}
      -- unpack is bounded by Lua's C stack, hence chunks
      for t = 1, #KEYS do
        for s = 1, #ARGV, 1000 do
          local e = math.min(s + 999, #ARGV)
          local flags = redis.call('smismember', KEYS[t], unpack(ARGV, s, e))
          for i = 1, #flags do
            local regId = ARGV[s + i - 1]
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
            List<Object> scriptKeys = new ArrayList<>();
            scriptKeys.add(keys.device(appId, regId));
            scriptKeys.add(keys.appDevices(appId));
            scriptKeys.add(keys.alias(appId, cleanAlias));
            cleanTags.forEach(tag -> scriptKeys.add(keys.tag(appId, tag)));
            if (evalLong(
                    REGISTER,
                    scriptKeys,
                    regId,
                    nonNull(platform),
                    Secrets.sha256Hex(token),
                    cleanAlias,
                    String.join(TAG_SEPARATOR, cleanTags),
                    Long.toString(created))
                == 1L) {
              break;
            }
          } while (true);
          return new DeviceRegistration(
              new Device(appId, regId, emptyToNull(platform), emptyToNull(cleanAlias), cleanTags, created), token);
        });
  }

  @Override
  public Optional<Device> find(String appId, String regId) {
    return call("device lookup", () -> toDevice(appId, regId, hash(appId, regId)));
  }

  @Override
  public void saveFanoutPosition(String appId, String regId, FanoutPosition position) {
    call(
        "fan-out position save",
        () ->
            evalLong(
                SAVE_FANOUT_POSITION,
                List.of(keys.device(appId, regId)),
                Long.toString(position.offset()),
                position.epoch()));
  }

  @Override
  public Optional<FanoutPosition> fanoutPosition(String appId, String regId) {
    return call(
        "fan-out position lookup",
        () -> {
          Map<String, String> fields = hash(appId, regId);
          String offset = fields.get(FANOUT_OFFSET);
          String epoch = fields.get(FANOUT_EPOCH);
          if (offset == null || epoch == null || epoch.isEmpty()) {
            return Optional.<FanoutPosition>empty();
          }
          return Optional.of(new FanoutPosition(Long.parseLong(offset), epoch));
        });
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
          long updated;
          do {
            List<String> seen = fields(appId, regId, ALIAS, TAGS);
            String seenAlias = seen.get(0);
            Set<String> seenTags = splitTags(seen.get(1));
            List<Object> scriptKeys = new ArrayList<>();
            scriptKeys.add(keys.device(appId, regId));
            scriptKeys.add(keys.alias(appId, seenAlias));
            scriptKeys.add(keys.alias(appId, cleanAlias));
            seenTags.forEach(tag -> scriptKeys.add(keys.tag(appId, tag)));
            cleanTags.forEach(tag -> scriptKeys.add(keys.tag(appId, tag)));
            updated =
                evalLong(
                    UPDATE,
                    scriptKeys,
                    regId,
                    seenAlias,
                    seen.get(1),
                    cleanAlias,
                    String.join(TAG_SEPARATOR, cleanTags),
                    nonNull(platform),
                    Integer.toString(seenTags.size()));
          } while (updated == CHANGED);
          return updated == 1L ? toDevice(appId, regId, hash(appId, regId)) : Optional.<Device>empty();
        });
  }

  @Override
  public boolean delete(String appId, String regId) {
    return call(
        "device delete",
        () -> {
          long deleted;
          List<String> seen;
          do {
            seen = fields(appId, regId, ALIAS, TAGS, LEGACY_UID, LEGACY, TOKEN);
            List<Object> scriptKeys = new ArrayList<>();
            scriptKeys.add(keys.device(appId, regId));
            scriptKeys.add(keys.appDevices(appId));
            scriptKeys.add(keys.alias(appId, seen.get(0)));
            scriptKeys.add(keys.legacyUid(appId, seen.get(2)));
            splitTags(seen.get(1)).forEach(tag -> scriptKeys.add(keys.tag(appId, tag)));
            deleted = evalLong(DELETE, scriptKeys, regId, seen.get(0), seen.get(1), seen.get(2));
          } while (deleted == CHANGED);
          if (deleted == 1L && "1".equals(seen.get(3)) && !seen.get(4).isEmpty()) {
            evalLong(DELETE_IF_NAMES, List.of(keys.legacyToken(seen.get(4))), regId);
          }
          return deleted == 1L;
        });
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
    List<Object> tagKeys = new ArrayList<>(cleanTags.size());
    cleanTags.forEach(tag -> tagKeys.add(keys.tag(appId, tag)));
    Object[] args = candidates.toArray();
    return call(
        "tag membership check",
        () -> {
          List<Object> matching =
              redisson
                  .getScript(StringCodec.INSTANCE)
                  .eval(RScript.Mode.READ_ONLY, WITH_ANY_TAG, RScript.ReturnType.MULTI, tagKeys, args);
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
          while (true) {
            String stale = "";
            if (!cleanUid.isEmpty()) {
              String bound =
                  redisson.<String>getBucket(keys.legacyUid(appId, cleanUid), StringCodec.INSTANCE).get();
              if (bound != null) {
                List<String> f = fields(appId, bound, LEGACY_TOKEN, CREATED);
                if (!f.get(0).isEmpty()) {
                  indexLegacyToken(f.get(0), bound);
                  return legacyRegistration(appId, bound, f.get(0), parseLong(f.get(1)));
                }
                stale = bound;
              }
            }
            String regId = Secrets.newRegId();
            String token = Secrets.newSecret();
            long created = System.currentTimeMillis();
            long made =
                evalLong(
                    SUBSCRIBE_LEGACY,
                    List.of(keys.legacyUid(appId, cleanUid), keys.device(appId, regId), keys.appDevices(appId)),
                    regId,
                    token,
                    Secrets.sha256Hex(token),
                    Long.toString(created),
                    cleanUid,
                    stale);
            if (made == 1L) {
              indexLegacyToken(token, regId);
              return legacyRegistration(appId, regId, token, created);
            }
            // Another subscription bound the uid meanwhile: answer with its device.
          }
        });
  }

  private void indexLegacyToken(String token, String regId) {
    redisson.<String>getBucket(keys.legacyToken(Secrets.sha256Hex(token)), StringCodec.INSTANCE).set(regId);
  }

  private static DeviceRegistration legacyRegistration(String appId, String regId, String token, long created) {
    return new DeviceRegistration(new Device(appId, regId, LEGACY_PLATFORM, null, Set.of(), created), token);
  }

  @Override
  public List<DeviceRegistration> subscribeLegacyAll(String appId, List<String> uids) {
    if (uids.isEmpty()) {
      return List.of();
    }
    return call(
        "legacy subscription",
        () -> {
          int n = uids.size();
          DeviceRegistration[] answers = new DeviceRegistration[n];
          // 1. The devices the uids are bound to already (one pipelined round trip).
          RBatch lookups = redisson.createBatch();
          List<RFuture<Object>> bound = new ArrayList<>(n);
          for (String uid : uids) {
            String cleanUid = nonNull(uid);
            bound.add(
                cleanUid.isEmpty()
                    ? null
                    : lookups.getBucket(keys.legacyUid(appId, cleanUid), StringCodec.INSTANCE).getAsync());
          }
          lookups.execute();
          RBatch reads = redisson.createBatch();
          List<RFuture<Map<String, String>>> existing = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            String regId = bound.get(i) == null ? null : (String) bound.get(i).toCompletableFuture().join();
            existing.add(
                regId == null
                    ? null
                    : reads
                        .<String, String>getMap(keys.device(appId, regId), StringCodec.INSTANCE)
                        .getAllAsync(Set.of(LEGACY_TOKEN, CREATED)));
          }
          reads.execute();
          // 2. New devices for the others, one script each, pipelined (each script stays in its own slot).
          RBatch creations = redisson.createBatch();
          List<RFuture<Long>> made = new ArrayList<>(n);
          String[] regIds = new String[n];
          String[] tokens = new String[n];
          long created = System.currentTimeMillis();
          for (int i = 0; i < n; i++) {
            String cleanUid = nonNull(uids.get(i));
            Map<String, String> fields = existing.get(i) == null ? null : existing.get(i).toCompletableFuture().join();
            String stale = "";
            if (fields != null) {
              String regId = (String) bound.get(i).toCompletableFuture().join();
              String token = nonNull(fields.get(LEGACY_TOKEN));
              if (!token.isEmpty()) {
                answers[i] = legacyRegistration(appId, regId, token, parseLong(fields.get(CREATED)));
                made.add(null);
                continue;
              }
              stale = regId;
            }
            regIds[i] = Secrets.newRegId();
            tokens[i] = Secrets.newSecret();
            made.add(
                creations
                    .getScript(StringCodec.INSTANCE)
                    .evalAsync(
                        RScript.Mode.READ_WRITE,
                        SUBSCRIBE_LEGACY,
                        RScript.ReturnType.INTEGER,
                        List.of(
                            keys.legacyUid(appId, cleanUid), keys.device(appId, regIds[i]), keys.appDevices(appId)),
                        regIds[i],
                        tokens[i],
                        Secrets.sha256Hex(tokens[i]),
                        Long.toString(created),
                        cleanUid,
                        stale));
          }
          creations.execute();
          // 3. The token index of every answer (one more pipelined round trip); a uid another subscription bound
          // meanwhile goes the one-by-one way.
          RBatch indexes = redisson.createBatch();
          for (int i = 0; i < n; i++) {
            if (answers[i] == null) {
              if (made.get(i).toCompletableFuture().join() == 1L) {
                answers[i] = legacyRegistration(appId, regIds[i], tokens[i], created);
              } else {
                answers[i] = subscribeLegacy(appId, uids.get(i));
                continue;
              }
            }
            indexes
                .getBucket(keys.legacyToken(Secrets.sha256Hex(answers[i].token())), StringCodec.INSTANCE)
                .setAsync(answers[i].device().regId());
          }
          indexes.execute();
          return List.of(answers);
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

  /** The fields of a device's hash, '' for a missing field or device. */
  private List<String> fields(String appId, String regId, String... names) {
    Map<String, String> values =
        redisson
            .<String, String>getMap(keys.device(appId, regId), StringCodec.INSTANCE)
            .getAll(new LinkedHashSet<>(Arrays.asList(names)));
    List<String> out = new ArrayList<>(names.length);
    for (String name : names) {
      out.add(nonNull(values.get(name)));
    }
    return out;
  }

  private static Set<String> splitTags(String joined) {
    return joined == null || joined.isEmpty()
        ? Set.of()
        : Collections.unmodifiableSet(new TreeSet<>(Arrays.asList(joined.split(TAG_SEPARATOR))));
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

  private static Optional<Device> toDevice(String appId, String regId, Map<String, String> fields) {
    if (fields == null || fields.isEmpty()) {
      return Optional.empty();
    }
    Set<String> tags = splitTags(fields.get(TAGS));
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
