package io.universepush.store.redis;

import static io.universepush.store.redis.RedisFailures.call;
import static io.universepush.store.redis.Values.nonNull;
import static io.universepush.store.redis.Values.parseLong;

import io.universepush.store.route.Route;
import io.universepush.store.route.RouteStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Routes as {@code route:{reg}} hashes (app, node, host, port, connected) with a TTL, plus one {@code
 * noderoutes:{node}} sorted set per node (member = reg id, score = the route's expiry in epoch millis). The score lets
 * a node's count skip routes that expired without a goodbye, and lets writes prune them, so the index does not grow
 * with churn. Next to each route, {@code seen:{reg}} keeps when the device was last known connected (set on every
 * put, renewal and removal) for {@link #LAST_SEEN_RETENTION}, so it outlives the route.
 */
public final class RedisRouteStore implements RouteStore {
  private static final String APP = "app";
  private static final String NODE = "node";
  private static final String HOST = "host";
  private static final String PORT = "port";
  private static final String CONNECTED = "connected";
  private static final int REMOVAL_CHUNK = 500;
  /** Long enough to tell a dormant device from a lost one; a deleted device's entry goes with it. */
  static final Duration LAST_SEEN_RETENTION = Duration.ofDays(90);
  private static final String SEEN_RETENTION_MS = Long.toString(LAST_SEEN_RETENTION.toMillis());

  // KEYS: route, nodeRoutes, seen. ARGV: regId, appId, nodeId, host, port, connectedAt, ttlMs, nowMs, expiresAtMs,
  // nodeRoutesPrefix, seenRetentionMs. Returns the replaced route's hash when another node held it, else an empty array.
  private static final String PUT =
      """
      local old = redis.call('hgetall', KEYS[1])
      local oldNode = nil
      for i = 1, #old, 2 do if old[i] == 'node' then oldNode = old[i + 1] end end
      redis.call('del', KEYS[1])
      redis.call('hset', KEYS[1], 'app', ARGV[2], 'node', ARGV[3], 'host', ARGV[4], 'port', ARGV[5],
        'connected', ARGV[6])
      redis.call('pexpire', KEYS[1], ARGV[7])
      redis.call('set', KEYS[3], ARGV[8], 'PX', ARGV[11])
      redis.call('zremrangebyscore', KEYS[2], '-inf', ARGV[8])
      redis.call('zadd', KEYS[2], ARGV[9], ARGV[1])
      if oldNode and oldNode ~= ARGV[3] then
        redis.call('zrem', ARGV[10] .. oldNode, ARGV[1])
        return old
      end
      return {}
      """;

  // KEYS: route, nodeRoutes, seen. ARGV: nodeId, ttlMs, expiresAtMs, regId, nowMs, seenRetentionMs
  private static final String RENEW =
      """
      if redis.call('hget', KEYS[1], 'node') ~= ARGV[1] then return 0 end
      redis.call('pexpire', KEYS[1], ARGV[2])
      redis.call('set', KEYS[3], ARGV[5], 'PX', ARGV[6])
      redis.call('zadd', KEYS[2], ARGV[3], ARGV[4])
      return 1
      """;

  // KEYS: route, nodeRoutes, seen. ARGV: nodeId, regId, nowMs, seenRetentionMs. Whatever the outcome, the reg id no
  // longer belongs in this node's set.
  private static final String REMOVE =
      """
      redis.call('zrem', KEYS[2], ARGV[2])
      if redis.call('hget', KEYS[1], 'node') ~= ARGV[1] then return 0 end
      redis.call('del', KEYS[1])
      redis.call('set', KEYS[3], ARGV[3], 'PX', ARGV[4])
      return 1
      """;

  // KEYS: nodeRoutes. ARGV: nodeId, routePrefix, chunk, seenPrefix, nowMs, seenRetentionMs. Returns {removed,
  // remaining in the set}.
  private static final String REMOVE_CHUNK_OF_NODE =
      """
      local popped = redis.call('zpopmin', KEYS[1], ARGV[3])
      local removed = 0
      for i = 1, #popped, 2 do
        local key = ARGV[2] .. popped[i]
        if redis.call('hget', key, 'node') == ARGV[1] then
          redis.call('del', key)
          redis.call('set', ARGV[4] .. popped[i], ARGV[5], 'PX', ARGV[6])
          removed = removed + 1
        end
      end
      return {removed, redis.call('zcard', KEYS[1])}
      """;

  private final RedissonClient redisson;
  private final RedisKeys keys;

  public RedisRouteStore(RedissonClient redisson, String keyPrefix) {
    this.redisson = redisson;
    this.keys = new RedisKeys(keyPrefix);
  }

  @Override
  public Optional<Route> put(Route route, Duration ttl) {
    long ttlMs = positiveMillis(ttl);
    return call(
        "route put",
        () -> {
          long now = System.currentTimeMillis();
          List<Object> old =
              eval(
                  PUT,
                  RScript.ReturnType.MULTI,
                  List.of(keys.route(route.regId()), keys.nodeRoutes(route.nodeId()), keys.lastSeen(route.regId())),
                  route.regId(),
                  nonNull(route.appId()),
                  route.nodeId(),
                  nonNull(route.dubboHost()),
                  Integer.toString(route.dubboPort()),
                  Long.toString(route.connectedAtMs()),
                  Long.toString(ttlMs),
                  Long.toString(now),
                  Long.toString(now + ttlMs),
                  keys.nodeRoutes(""),
                  SEEN_RETENTION_MS);
          Map<String, String> fields = new HashMap<>();
          for (int i = 0; i + 1 < old.size(); i += 2) {
            fields.put((String) old.get(i), (String) old.get(i + 1));
          }
          return toRoute(route.regId(), fields);
        });
  }

  @Override
  public List<Optional<Route>> putAll(List<Route> routes, Duration ttl) {
    if (routes.isEmpty()) {
      return List.of();
    }
    long ttlMs = positiveMillis(ttl);
    return call(
        "route put",
        () -> {
          long now = System.currentTimeMillis();
          RBatch batch = redisson.createBatch();
          List<RFuture<List<Object>>> answers = new ArrayList<>(routes.size());
          for (Route route : routes) {
            answers.add(
                batch
                    .getScript(StringCodec.INSTANCE)
                    .evalAsync(
                        RScript.Mode.READ_WRITE,
                        PUT,
                        RScript.ReturnType.MULTI,
                        List.of(
                            keys.route(route.regId()), keys.nodeRoutes(route.nodeId()), keys.lastSeen(route.regId())),
                        route.regId(),
                        nonNull(route.appId()),
                        route.nodeId(),
                        nonNull(route.dubboHost()),
                        Integer.toString(route.dubboPort()),
                        Long.toString(route.connectedAtMs()),
                        Long.toString(ttlMs),
                        Long.toString(now),
                        Long.toString(now + ttlMs),
                        keys.nodeRoutes(""),
                        SEEN_RETENTION_MS));
          }
          batch.execute();
          List<Optional<Route>> replaced = new ArrayList<>(routes.size());
          for (int i = 0; i < routes.size(); i++) {
            List<Object> old = answers.get(i).toCompletableFuture().join();
            Map<String, String> fields = new HashMap<>();
            for (int k = 0; k + 1 < old.size(); k += 2) {
              fields.put((String) old.get(k), (String) old.get(k + 1));
            }
            replaced.add(toRoute(routes.get(i).regId(), fields));
          }
          return replaced;
        });
  }

  @Override
  public boolean renew(String regId, String nodeId, Duration ttl) {
    long ttlMs = positiveMillis(ttl);
    return call(
        "route renewal",
        () -> {
          long now = System.currentTimeMillis();
          Long renewed =
              eval(
                  RENEW,
                  RScript.ReturnType.INTEGER,
                  List.of(keys.route(regId), keys.nodeRoutes(nodeId), keys.lastSeen(regId)),
                  nodeId,
                  Long.toString(ttlMs),
                  Long.toString(now + ttlMs),
                  regId,
                  Long.toString(now),
                  SEEN_RETENTION_MS);
          return renewed != null && renewed == 1L;
        });
  }

  @Override
  public boolean remove(String regId, String nodeId) {
    return call(
        "route removal",
        () -> {
          Long removed =
              eval(
                  REMOVE,
                  RScript.ReturnType.INTEGER,
                  List.of(keys.route(regId), keys.nodeRoutes(nodeId), keys.lastSeen(regId)),
                  nodeId,
                  regId,
                  Long.toString(System.currentTimeMillis()),
                  SEEN_RETENTION_MS);
          return removed != null && removed == 1L;
        });
  }

  @Override
  public Optional<Route> find(String regId) {
    return call(
        "route lookup",
        () -> toRoute(regId, redisson.<String, String>getMap(keys.route(regId), StringCodec.INSTANCE).readAllMap()));
  }

  @Override
  public OptionalLong lastSeen(String regId) {
    return call(
        "last seen lookup",
        () -> {
          String value = redisson.<String>getBucket(keys.lastSeen(regId), StringCodec.INSTANCE).get();
          return value == null ? OptionalLong.empty() : OptionalLong.of(parseLong(value));
        });
  }

  @Override
  public Map<String, Route> findAll(Collection<String> regIds) {
    if (regIds.isEmpty()) {
      return Map.of();
    }
    return call(
        "route lookup",
        () -> {
          RBatch batch = redisson.createBatch();
          Map<String, RFuture<Map<String, String>>> futures = new LinkedHashMap<>();
          for (String regId : regIds) {
            futures.computeIfAbsent(
                regId,
                id -> batch.<String, String>getMap(keys.route(id), StringCodec.INSTANCE).readAllMapAsync());
          }
          batch.execute();
          Map<String, Route> routes = new LinkedHashMap<>();
          futures.forEach(
              (regId, future) ->
                  toRoute(regId, future.toCompletableFuture().join()).ifPresent(r -> routes.put(regId, r)));
          return routes;
        });
  }

  @Override
  public long countByNode(String nodeId) {
    return call(
        "route count",
        () ->
            (long)
                redisson
                    .<String>getScoredSortedSet(keys.nodeRoutes(nodeId), StringCodec.INSTANCE)
                    .count(System.currentTimeMillis(), false, Double.POSITIVE_INFINITY, true));
  }

  @Override
  public int removeAllOfNode(String nodeId) {
    return call(
        "node routes removal",
        () -> {
          // In chunks, so a node with a million routes never blocks Redis for one long script.
          int removed = 0;
          long remaining;
          do {
            List<Object> answer =
                eval(
                    REMOVE_CHUNK_OF_NODE,
                    RScript.ReturnType.MULTI,
                    List.of(keys.nodeRoutes(nodeId)),
                    nodeId,
                    keys.routePrefix(),
                    Integer.toString(REMOVAL_CHUNK),
                    keys.lastSeenPrefix(),
                    Long.toString(System.currentTimeMillis()),
                    SEEN_RETENTION_MS);
            removed += ((Number) answer.get(0)).intValue();
            remaining = ((Number) answer.get(1)).longValue();
          } while (remaining > 0);
          return removed;
        });
  }

  private <R> R eval(String script, RScript.ReturnType type, List<Object> scriptKeys, Object... args) {
    return redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, script, type, scriptKeys, args);
  }

  private static Optional<Route> toRoute(String regId, Map<String, String> fields) {
    if (fields == null || fields.get(NODE) == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Route(
            regId,
            fields.get(APP),
            fields.get(NODE),
            fields.get(HOST),
            (int) parseLong(fields.get(PORT)),
            parseLong(fields.get(CONNECTED))));
  }

  private static long positiveMillis(Duration ttl) {
    long ms = ttl.toMillis();
    if (ms <= 0) {
      throw new IllegalArgumentException("a route TTL must be positive: " + ttl);
    }
    return ms;
  }
}
