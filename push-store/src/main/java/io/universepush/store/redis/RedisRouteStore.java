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
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Routes as {@code route:{<reg>}} hashes (app, node, host, port, connected) with a TTL, plus one {@code
 * noderoutes:<node>} sorted set per node (member = reg id, score = the route's expiry in epoch millis). The score lets
 * a node's count skip routes that expired without a goodbye, and lets writes prune them, so the index does not grow
 * with churn. Next to each route, {@code seen:{<reg>}} keeps when the device was last known connected (set on every
 * put, renewal and removal) for {@link #LAST_SEEN_RETENTION}, so it outlives the route.
 *
 * <p>The route and its last-seen time share a Redis Cluster slot and change in one script. A node's index is in
 * another slot (it gathers devices of every slot), so it is written in its own call, and it is a hint: delivery reads
 * only the route, {@link #countByNode} is a load figure, and {@link #removeAllOfNode} checks each route's node before
 * deleting it. The orders keep the hint on the safe side: {@link #put} indexes the route on its node before writing
 * it, so a route never names a node whose index misses it (a node's {@link #removeAllOfNode} at shutdown finds them
 * all), then drops it from the previous node's index; a renewal only updates an index entry that is still there ({@code ZADD XX}), so it
 * cannot put back one a takeover removed. Whatever a failure between the two calls leaves behind (an index entry
 * without its route, a stale score) ends with the route TTL.
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

  // KEYS: nodeRoutes. ARGV: nowMs, expiresAtMs, regId. Prunes entries whose route has expired, then indexes the reg id.
  private static final String INDEX =
      """
      redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1])
      redis.call('zadd', KEYS[1], ARGV[2], ARGV[3])
      return 1
      """;

  // KEYS: route, seen. ARGV: appId, nodeId, host, port, connectedAt, ttlMs, nowMs, seenRetentionMs. Returns the
  // replaced route's hash (empty when there was none).
  private static final String PUT =
      """
      local old = redis.call('hgetall', KEYS[1])
      redis.call('del', KEYS[1])
      redis.call('hset', KEYS[1], 'app', ARGV[1], 'node', ARGV[2], 'host', ARGV[3], 'port', ARGV[4],
        'connected', ARGV[5])
      redis.call('pexpire', KEYS[1], ARGV[6])
      redis.call('set', KEYS[2], ARGV[7], 'PX', ARGV[8])
      return old
      """;

  // KEYS: route, seen. ARGV: nodeId, ttlMs, nowMs, seenRetentionMs
  private static final String RENEW =
      """
      if redis.call('hget', KEYS[1], 'node') ~= ARGV[1] then return 0 end
      redis.call('pexpire', KEYS[1], ARGV[2])
      redis.call('set', KEYS[2], ARGV[3], 'PX', ARGV[4])
      return 1
      """;

  // KEYS: route, seen. ARGV: nodeId, nowMs, seenRetentionMs
  private static final String REMOVE =
      """
      if redis.call('hget', KEYS[1], 'node') ~= ARGV[1] then return 0 end
      redis.call('del', KEYS[1])
      redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
      return 1
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
          eval(
              INDEX,
              RScript.ReturnType.INTEGER,
              List.of(keys.nodeRoutes(route.nodeId())),
              Long.toString(now),
              Long.toString(now + ttlMs),
              route.regId());
          List<Object> old =
              eval(
                  PUT,
                  RScript.ReturnType.MULTI,
                  List.of(keys.route(route.regId()), keys.lastSeen(route.regId())),
                  nonNull(route.appId()),
                  route.nodeId(),
                  nonNull(route.dubboHost()),
                  Integer.toString(route.dubboPort()),
                  Long.toString(route.connectedAtMs()),
                  Long.toString(ttlMs),
                  Long.toString(now),
                  SEEN_RETENTION_MS);
          Map<String, String> fields = new HashMap<>();
          for (int i = 0; i + 1 < old.size(); i += 2) {
            fields.put((String) old.get(i), (String) old.get(i + 1));
          }
          String oldNode = fields.get(NODE);
          if (oldNode == null || oldNode.equals(route.nodeId())) {
            return Optional.<Route>empty();
          }
          nodeIndex(oldNode).remove(route.regId());
          return toRoute(route.regId(), fields);
        });
  }

  /**
   * As {@link #put} for many routes, each step pipelined for all of them: node indexes first, then the routes, then
   * the old nodes' indexes, the same order as one put keeps (a route is never missing from its node's index).
   */
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
          RBatch indexes = redisson.createBatch();
          for (Route route : routes) {
            indexes
                .getScript(StringCodec.INSTANCE)
                .evalAsync(
                    RScript.Mode.READ_WRITE,
                    INDEX,
                    RScript.ReturnType.INTEGER,
                    List.of(keys.nodeRoutes(route.nodeId())),
                    Long.toString(now),
                    Long.toString(now + ttlMs),
                    route.regId());
          }
          indexes.execute();
          RBatch puts = redisson.createBatch();
          List<RFuture<List<Object>>> answers = new ArrayList<>(routes.size());
          for (Route route : routes) {
            answers.add(
                puts.getScript(StringCodec.INSTANCE)
                    .evalAsync(
                        RScript.Mode.READ_WRITE,
                        PUT,
                        RScript.ReturnType.MULTI,
                        List.of(keys.route(route.regId()), keys.lastSeen(route.regId())),
                        nonNull(route.appId()),
                        route.nodeId(),
                        nonNull(route.dubboHost()),
                        Integer.toString(route.dubboPort()),
                        Long.toString(route.connectedAtMs()),
                        Long.toString(ttlMs),
                        Long.toString(now),
                        SEEN_RETENTION_MS));
          }
          puts.execute();
          List<Optional<Route>> replaced = new ArrayList<>(routes.size());
          RBatch unindex = redisson.createBatch();
          boolean moved = false;
          for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            List<Object> old = answers.get(i).toCompletableFuture().join();
            Map<String, String> fields = new HashMap<>();
            for (int k = 0; k + 1 < old.size(); k += 2) {
              fields.put((String) old.get(k), (String) old.get(k + 1));
            }
            String oldNode = fields.get(NODE);
            if (oldNode == null || oldNode.equals(route.nodeId())) {
              replaced.add(Optional.empty());
              continue;
            }
            unindex.<String>getScoredSortedSet(keys.nodeRoutes(oldNode), StringCodec.INSTANCE).removeAsync(route.regId());
            moved = true;
            replaced.add(toRoute(route.regId(), fields));
          }
          if (moved) {
            unindex.execute();
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
          // One round trip for both slots; ZADD XX leaves the index alone when the route has left this node.
          RBatch batch = redisson.createBatch();
          RFuture<Long> renewed =
              batch
                  .getScript(StringCodec.INSTANCE)
                  .evalAsync(
                      RScript.Mode.READ_WRITE,
                      RENEW,
                      RScript.ReturnType.INTEGER,
                      List.of(keys.route(regId), keys.lastSeen(regId)),
                      nodeId,
                      Long.toString(ttlMs),
                      Long.toString(now),
                      SEEN_RETENTION_MS);
          batch
              .<String>getScoredSortedSet(keys.nodeRoutes(nodeId), StringCodec.INSTANCE)
              .addIfExistsAsync(now + ttlMs, regId);
          batch.execute();
          Long answer = renewed.toCompletableFuture().join();
          return answer != null && answer == 1L;
        });
  }

  @Override
  public boolean remove(String regId, String nodeId) {
    return call(
        "route removal",
        () -> {
          // Whatever the outcome, the reg id no longer belongs in this node's index.
          RBatch batch = redisson.createBatch();
          RFuture<Long> removed = removeIfOn(batch, regId, nodeId, System.currentTimeMillis());
          batch.<String>getScoredSortedSet(keys.nodeRoutes(nodeId), StringCodec.INSTANCE).removeAsync(regId);
          batch.execute();
          Long answer = removed.toCompletableFuture().join();
          return answer != null && answer == 1L;
        });
  }

  private RFuture<Long> removeIfOn(RBatch batch, String regId, String nodeId, long now) {
    return batch
        .getScript(StringCodec.INSTANCE)
        .evalAsync(
            RScript.Mode.READ_WRITE,
            REMOVE,
            RScript.ReturnType.INTEGER,
            List.of(keys.route(regId), keys.lastSeen(regId)),
            nodeId,
            Long.toString(now),
            SEEN_RETENTION_MS);
  }

  private RScoredSortedSet<String> nodeIndex(String nodeId) {
    return redisson.getScoredSortedSet(keys.nodeRoutes(nodeId), StringCodec.INSTANCE);
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
        () -> (long) nodeIndex(nodeId).count(System.currentTimeMillis(), false, Double.POSITIVE_INFINITY, true));
  }

  @Override
  public int removeAllOfNode(String nodeId) {
    return call(
        "node routes removal",
        () -> {
          // In chunks popped off the index, each route removed only if it still names this node. A failure half way
          // leaves the popped chunk's routes to their TTL.
          RScoredSortedSet<String> index = nodeIndex(nodeId);
          int removed = 0;
          while (true) {
            Collection<String> chunk = index.pollFirst(REMOVAL_CHUNK);
            if (chunk.isEmpty()) {
              return removed;
            }
            RBatch batch = redisson.createBatch();
            long now = System.currentTimeMillis();
            List<RFuture<Long>> answers = new ArrayList<>(chunk.size());
            for (String regId : chunk) {
              answers.add(removeIfOn(batch, regId, nodeId, now));
            }
            batch.execute();
            for (RFuture<Long> answer : answers) {
              Long one = answer.toCompletableFuture().join();
              removed += one != null && one == 1L ? 1 : 0;
            }
          }
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
