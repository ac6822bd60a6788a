package io.universepush.store.redis;

import static io.universepush.store.redis.RedisFailures.call;
import static io.universepush.store.redis.RedisFailures.run;
import static io.universepush.store.redis.Values.emptyToNull;
import static io.universepush.store.redis.Values.nonNull;
import static io.universepush.store.redis.Values.parseLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.rpc.connector.AndroidOptions;
import io.universepush.rpc.connector.IosOptions;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.PendingEntry;
import io.universepush.store.message.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Messages as {@code msg:{<id>}} hashes (payload in base64) expiring with the message, next to their {@code
 * stat:{<id>}} counters, and per-device {@code pending:{<reg>}} sorted sets (member = message id, score = the time the message was sent, in epoch millis), so a
 * device receives what waited for it in the order it was sent whatever each message's TTL; within one millisecond the
 * ids, which sort in creation order, break the tie. An entry whose message hash is gone has expired: it is dropped
 * (and counted as expired) when the set is read. A pending set expires a grace period after its last entry's message,
 * so devices that never come back do not keep Redis memory forever.
 *
 * <p>Every script touches one device's keys ({@code pending:{<reg>}}, {@code attempts:{<reg>}}) or one message's,
 * never both, so the store runs on Redis Cluster. What that costs, and why it is enough:
 *
 * <ul>
 *   <li>{@link #saveWithPending} stores the message and its stats first (one atomic batch, one slot) and only after
 *       Redis acknowledged them adds the pending entries (pipelined, each atomic on its own). So a pending entry never
 *       names a message that is not stored yet; a reader that finds the entry finds the message, unless it expired.
 *       A failure half way leaves the message pending for some of its devices only, and the call fails, so push-api
 *       answers 503 and the sender may retry (as a new message).
 *   <li>{@link #pending} reads entries and checks their messages in separate calls. A message cannot come back once
 *       gone (ids are never reused), so an entry seen without its message is expired for good; removing it is
 *       atomic per device and reports what it removed, so two readers racing count each expiry once.
 * </ul>
 */
public final class RedisMessageStore implements MessageStore {
  static final long STATS_GRACE_MS = TimeUnit.DAYS.toMillis(1);

  private static final String APP = "app";
  private static final String PAYLOAD = "payload";
  private static final String TITLE = "title";
  private static final String ALERT = "alert";
  private static final String EXTRAS = "extras";
  private static final String CREATED = "created";
  private static final String EXPIRES = "expires";
  private static final String IOS = "ios";
  private static final String ANDROID = "android";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> EXTRAS_TYPE = new TypeReference<>() {};

  // KEYS: pending. ARGV: msgId, score, keyTtlMs (-1: never expires). Extends the set's TTL, never shortens it.
  private static final String ADD_PENDING =
      """
      local existed = redis.call('exists', KEYS[1])
      local current = redis.call('pttl', KEYS[1])
      redis.call('zadd', KEYS[1], ARGV[2], ARGV[1])
      local ttl = tonumber(ARGV[3])
      if ttl < 0 then
        redis.call('persist', KEYS[1])
      elseif existed == 0 or (current >= 0 and current < ttl) then
        redis.call('pexpire', KEYS[1], ttl)
      end
      return 1
      """;

  // KEYS: stat. ARGV: counter, delta, ttlMs (-1: never expires).
  private static final String COUNT_TARGETS =
      """
      redis.call('hincrby', KEYS[1], ARGV[1], ARGV[2])
      if tonumber(ARGV[3]) < 0 then redis.call('persist', KEYS[1]) else redis.call('pexpire', KEYS[1], ARGV[3]) end
      return 1
      """;

  // KEYS: pending, attempts. ARGV: msgIds whose message hash is gone. Drops their entries and attempt counts; returns
  // the ids this call removed, so that when two readers race, each expired entry is counted once.
  private static final String DROP_EXPIRED =
      """
      local removed = {}
      for i = 1, #ARGV do
        if redis.call('zrem', KEYS[1], ARGV[i]) == 1 then
          redis.call('hdel', KEYS[2], ARGV[i])
          removed[#removed + 1] = ARGV[i]
        end
      end
      return removed
      """;

  // KEYS: stat. Counts an expiry only while the stats exist: a counter must not resurrect a stat hash without a TTL.
  private static final String COUNT_EXPIRED =
      """
      if redis.call('exists', KEYS[1]) == 1 then redis.call('hincrby', KEYS[1], 'expired', 1) end
      return 1
      """;

  // KEYS: pending, attempts. ARGV: msgId. 1 when the entry was there.
  private static final String REMOVE_PENDING =
      """
      local removed = redis.call('zrem', KEYS[1], ARGV[1])
      redis.call('hdel', KEYS[2], ARGV[1])
      return removed
      """;

  // KEYS: pending, attempts. ARGV: msgId. The new attempt count, or 0 when the entry is not pending. The attempts
  // hash lives as long as the pending set.
  private static final String COUNT_ATTEMPT =
      """
      if not redis.call('zscore', KEYS[1], ARGV[1]) then return 0 end
      local n = redis.call('hincrby', KEYS[2], ARGV[1], 1)
      local ttl = redis.call('pttl', KEYS[1])
      if ttl < 0 then redis.call('persist', KEYS[2]) else redis.call('pexpire', KEYS[2], ttl) end
      return n
      """;

  private final RedissonClient redisson;
  private final RedisKeys keys;

  public RedisMessageStore(RedissonClient redisson, String keyPrefix) {
    this.redisson = redisson;
    this.keys = new RedisKeys(keyPrefix);
  }

  @Override
  public void saveWithPending(StoredMessage message, Collection<String> regIds) {
    Map<String, String> fields = toFields(message);
    Set<String> targets = new LinkedHashSet<>(regIds);
    run(
        "message save",
        () -> {
          long now = System.currentTimeMillis();
          boolean expires = message.expiresAtMs() > 0;
          // At least 1 ms: a message already expired on arrival still gets stored and dropped the normal way.
          long ttlMs = expires ? Math.max(1, message.expiresAtMs() - now) : -1;
          String score = Long.toString(message.createdAtMs());
          String retainMs = expires ? Long.toString(ttlMs + STATS_GRACE_MS) : "-1";

          // One slot ({msgId}): the message and its targets counter are stored together or not at all.
          RBatch stored =
              redisson.createBatch(BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.IN_MEMORY_ATOMIC));
          String msgKey = keys.message(message.msgId());
          stored.<String, String>getMap(msgKey, StringCodec.INSTANCE).putAllAsync(fields);
          if (expires) {
            stored.getMap(msgKey, StringCodec.INSTANCE).expireAsync(Duration.ofMillis(ttlMs));
          }
          stored
              .getScript(StringCodec.INSTANCE)
              .evalAsync(
                  RScript.Mode.READ_WRITE,
                  COUNT_TARGETS,
                  RScript.ReturnType.INTEGER,
                  List.of(keys.stat(message.msgId())),
                  MessageStats.TARGETS,
                  Integer.toString(targets.size()),
                  retainMs);
          stored.execute();
          if (targets.isEmpty()) {
            return;
          }
          // Only now the pending entries, one slot per device: pipelined (Redisson groups them by node), each entry
          // atomic with its set's TTL, none before the message exists.
          RBatch entries = redisson.createBatch();
          for (String regId : targets) {
            entries
                .getScript(StringCodec.INSTANCE)
                .evalAsync(
                    RScript.Mode.READ_WRITE,
                    ADD_PENDING,
                    RScript.ReturnType.INTEGER,
                    List.of(keys.pending(regId)),
                    message.msgId(),
                    score,
                    retainMs);
          }
          entries.execute();
        });
  }

  @Override
  public Optional<StoredMessage> find(String msgId) {
    return call(
        "message lookup",
        () ->
            toMessage(
                msgId, redisson.<String, String>getMap(keys.message(msgId), StringCodec.INSTANCE).readAllMap()));
  }

  @Override
  public Map<String, StoredMessage> findAll(Collection<String> msgIds) {
    if (msgIds.isEmpty()) {
      return Map.of();
    }
    return call(
        "message lookup",
        () -> {
          RBatch batch = redisson.createBatch();
          Map<String, RFuture<Map<String, String>>> futures = new LinkedHashMap<>();
          for (String msgId : msgIds) {
            futures.computeIfAbsent(
                msgId,
                id -> batch.<String, String>getMap(keys.message(id), StringCodec.INSTANCE).readAllMapAsync());
          }
          batch.execute();
          Map<String, StoredMessage> messages = new LinkedHashMap<>();
          futures.forEach(
              (msgId, future) ->
                  toMessage(msgId, future.toCompletableFuture().join()).ifPresent(m -> messages.put(msgId, m)));
          return messages;
        });
  }

  /**
   * The first entries in send order whose message still exists. Entries met on the way whose message is gone are
   * dropped (with their attempt counts) and counted as expired in their message's stats, and reading goes on past
   * them. Every round either ends or removes an entry from the set, so the loop ends.
   */
  @Override
  public List<String> pending(String regId, int limit) {
    int count = Math.max(0, limit);
    if (count == 0) {
      return List.of();
    }
    return call(
        "pending lookup",
        () -> {
          RScoredSortedSet<String> set = redisson.getScoredSortedSet(keys.pending(regId), StringCodec.INSTANCE);
          Set<String> live = new LinkedHashSet<>();
          while (live.size() < count) {
            Collection<String> page = set.valueRange(live.size(), count - 1);
            if (page.isEmpty()) {
              break;
            }
            List<String> gone = new ArrayList<>();
            Map<String, Boolean> exists = messagesExist(page);
            for (String msgId : page) {
              if (exists.get(msgId)) {
                live.add(msgId);
              } else {
                gone.add(msgId);
              }
            }
            if (gone.isEmpty()) {
              break;
            }
            dropExpired(regId, gone);
          }
          return List.copyOf(live);
        });
  }

  private Map<String, Boolean> messagesExist(Collection<String> msgIds) {
    RBatch batch = redisson.createBatch();
    Map<String, RFuture<Boolean>> futures = new LinkedHashMap<>();
    for (String msgId : msgIds) {
      futures.computeIfAbsent(msgId, id -> batch.getMap(keys.message(id), StringCodec.INSTANCE).isExistsAsync());
    }
    batch.execute();
    Map<String, Boolean> exists = new HashMap<>();
    futures.forEach((msgId, future) -> exists.put(msgId, Boolean.TRUE.equals(future.toCompletableFuture().join())));
    return exists;
  }

  private void dropExpired(String regId, List<String> msgIds) {
    List<Object> removed =
        redisson
            .getScript(StringCodec.INSTANCE)
            .eval(
                RScript.Mode.READ_WRITE,
                DROP_EXPIRED,
                RScript.ReturnType.MULTI,
                List.of(keys.pending(regId), keys.attempts(regId)),
                msgIds.toArray());
    if (removed.isEmpty()) {
      return;
    }
    RBatch batch = redisson.createBatch();
    for (Object msgId : removed) {
      batch
          .getScript(StringCodec.INSTANCE)
          .evalAsync(
              RScript.Mode.READ_WRITE,
              COUNT_EXPIRED,
              RScript.ReturnType.INTEGER,
              List.of(keys.stat((String) msgId)));
    }
    batch.execute();
  }

  @Override
  public boolean removePending(String regId, String msgId) {
    return removePending(List.of(new PendingEntry(regId, msgId))).get(0);
  }

  @Override
  public List<Boolean> removePending(List<PendingEntry> entries) {
    return perEntry("pending removal", REMOVE_PENDING, entries).stream().map(removed -> removed > 0).toList();
  }

  @Override
  public List<Integer> countAttempts(List<PendingEntry> entries) {
    return perEntry("attempt count", COUNT_ATTEMPT, entries).stream().map(Long::intValue).toList();
  }

  /** Runs a (pending, attempts) script once per entry, pipelined in one batch; its integer results in order. */
  private List<Long> perEntry(String what, String script, List<PendingEntry> entries) {
    if (entries.isEmpty()) {
      return List.of();
    }
    return call(
        what,
        () -> {
          RBatch batch = redisson.createBatch();
          List<RFuture<Long>> futures = new ArrayList<>(entries.size());
          for (PendingEntry entry : entries) {
            futures.add(
                batch
                    .getScript(StringCodec.INSTANCE)
                    .evalAsync(
                        RScript.Mode.READ_WRITE,
                        script,
                        RScript.ReturnType.INTEGER,
                        List.of(keys.pending(entry.regId()), keys.attempts(entry.regId())),
                        entry.msgId()));
          }
          batch.execute();
          List<Long> results = new ArrayList<>(futures.size());
          for (RFuture<Long> future : futures) {
            Long value = future.toCompletableFuture().join();
            results.add(value == null ? 0L : value);
          }
          return results;
        });
  }

  @Override
  public void clearPending(String regId) {
    run("pending clear", () -> redisson.getKeys().delete(keys.pending(regId), keys.attempts(regId)));
  }

  private static Map<String, String> toFields(StoredMessage message) {
    Map<String, String> fields = new HashMap<>();
    fields.put(APP, nonNull(message.appId()));
    fields.put(PAYLOAD, message.payload() == null ? "" : Base64.getEncoder().encodeToString(message.payload()));
    fields.put(TITLE, nonNull(message.title()));
    fields.put(ALERT, nonNull(message.alert()));
    fields.put(CREATED, Long.toString(message.createdAtMs()));
    fields.put(EXPIRES, Long.toString(message.expiresAtMs()));
    Map<String, String> extras = message.extras();
    try {
      fields.put(EXTRAS, extras == null || extras.isEmpty() ? "" : JSON.writeValueAsString(extras));
      fields.put(IOS, message.ios() == null ? "" : JSON.writeValueAsString(message.ios()));
      fields.put(ANDROID, message.android() == null ? "" : JSON.writeValueAsString(message.android()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("message extras are not serialisable", e);
    }
    return fields;
  }

  private static Optional<StoredMessage> toMessage(String msgId, Map<String, String> fields) {
    if (fields == null || fields.isEmpty()) {
      return Optional.empty();
    }
    String extras = fields.get(EXTRAS);
    Map<String, String> parsedExtras;
    IosOptions ios;
    AndroidOptions android;
    try {
      parsedExtras = extras == null || extras.isEmpty() ? Map.of() : Map.copyOf(JSON.readValue(extras, EXTRAS_TYPE));
      ios = readOptional(fields.get(IOS), IosOptions.class);
      android = readOptional(fields.get(ANDROID), AndroidOptions.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("message " + msgId + " has unreadable extras", e);
    }
    String payload = fields.get(PAYLOAD);
    return Optional.of(
        new StoredMessage(
            msgId,
            emptyToNull(fields.get(APP)),
            payload == null ? new byte[0] : Base64.getDecoder().decode(payload),
            emptyToNull(fields.get(TITLE)),
            emptyToNull(fields.get(ALERT)),
            parsedExtras,
            parseLong(fields.get(CREATED)),
            parseLong(fields.get(EXPIRES)),
            ios,
            android));
  }

  private static <T> T readOptional(String json, Class<T> type) throws JsonProcessingException {
    return json == null || json.isEmpty() ? null : JSON.readValue(json, type);
  }
}
