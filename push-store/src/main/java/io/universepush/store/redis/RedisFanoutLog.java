package io.universepush.store.redis;

import static io.universepush.store.redis.RedisFailures.call;
import static io.universepush.store.redis.Values.parseLong;

import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutIds;
import io.universepush.store.fanout.FanoutLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * One Redis stream per app, {@code fanout:{app}}, with fields {@code msg}, {@code tags} and {@code platforms}
 * (newline-separated) and {@code exp} (epoch millis, 0 = never). Each append trims the stream approximately to a
 * maximum length and drops entries older than the maximum age (the longest ttl a push may have, so a trimmed entry's
 * message has expired anyway), and lets the whole stream expire that long after its last append, so an idle app
 * leaves nothing behind.
 */
public final class RedisFanoutLog implements FanoutLog {
  public static final long DEFAULT_MAX_LENGTH = 100_000;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

  private static final String SEPARATOR = "\n";

  // KEYS: stream. ARGV: maxLen, maxAgeMs, msg, tags, platforms, exp. Returns the new entry id.
  private static final String APPEND =
      """
      local id = redis.call('xadd', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
        'msg', ARGV[3], 'tags', ARGV[4], 'platforms', ARGV[5], 'exp', ARGV[6])
      local t = redis.call('time')
      local oldest = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[2])
      if oldest > 0 then redis.call('xtrim', KEYS[1], 'MINID', '~', oldest) end
      redis.call('pexpire', KEYS[1], ARGV[2])
      return id
      """;

  // KEYS: stream. ARGV: start (inclusive, or '(' exclusive), count. Returns a flat list: id, msg, tags, platforms,
  // exp for each entry, so the reply has no nested arrays to decode.
  private static final String RANGE =
      """
      local entries = redis.call('xrange', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])
      local out = {}
      for _, e in ipairs(entries) do
        local f = {}
        for i = 1, #e[2], 2 do f[e[2][i]] = e[2][i + 1] end
        table.insert(out, e[1])
        table.insert(out, f['msg'] or '')
        table.insert(out, f['tags'] or '')
        table.insert(out, f['platforms'] or '')
        table.insert(out, f['exp'] or '0')
      end
      return out
      """;

  private static final int FIELDS_PER_ENTRY = 5;

  private final RedissonClient redisson;
  private final RedisKeys keys;
  private final long maxLength;
  private final long maxAgeMs;

  public RedisFanoutLog(RedissonClient redisson, String keyPrefix) {
    this(redisson, keyPrefix, DEFAULT_MAX_LENGTH, DEFAULT_MAX_AGE);
  }

  public RedisFanoutLog(RedissonClient redisson, String keyPrefix, long maxLength, Duration maxAge) {
    if (maxLength <= 0 || maxAge.toMillis() <= 0) {
      throw new IllegalArgumentException("fan-out log limits must be positive");
    }
    this.redisson = redisson;
    this.keys = new RedisKeys(keyPrefix);
    this.maxLength = maxLength;
    this.maxAgeMs = maxAge.toMillis();
  }

  @Override
  public FanoutEntry append(FanoutEntry entry) {
    String id =
        call(
            "fan-out log append",
            () ->
                redisson
                    .getScript(StringCodec.INSTANCE)
                    .eval(
                        RScript.Mode.READ_WRITE,
                        APPEND,
                        RScript.ReturnType.VALUE,
                        List.of(keys.fanoutLog(entry.appId())),
                        Long.toString(maxLength),
                        Long.toString(maxAgeMs),
                        entry.msgId(),
                        join(entry.tags()),
                        join(entry.platforms()),
                        Long.toString(entry.expiresAtMs())));
    return entry.withId(id);
  }

  @Override
  public List<FanoutEntry> after(String appId, String cursor, long sinceMs, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    boolean hasCursor = cursor != null && FanoutIds.isValid(cursor);
    String start = hasCursor ? "(" + cursor : (sinceMs > 0 ? sinceMs + "-0" : "-");
    return call(
        "fan-out log read",
        () -> {
          List<FanoutEntry> live = new ArrayList<>();
          String from = start;
          // Expired entries are skipped without counting towards the limit; they sit at the old end of the stream,
          // so this loops more than once only right after a long idle period.
          while (live.size() < limit) {
            List<Object> flat = range(appId, from, limit);
            long now = System.currentTimeMillis();
            String lastId = null;
            for (int i = 0; i + FIELDS_PER_ENTRY <= flat.size(); i += FIELDS_PER_ENTRY) {
              lastId = (String) flat.get(i);
              FanoutEntry entry =
                  new FanoutEntry(
                      lastId,
                      appId,
                      (String) flat.get(i + 1),
                      split((String) flat.get(i + 2)),
                      split((String) flat.get(i + 3)),
                      parseLong((String) flat.get(i + 4)));
              if (!entry.isExpired(now) && live.size() < limit) {
                live.add(entry);
              }
            }
            if (flat.size() < limit * FIELDS_PER_ENTRY || lastId == null) {
              break;
            }
            from = "(" + lastId;
          }
          return live;
        });
  }

  private List<Object> range(String appId, String start, int count) {
    return redisson
        .getScript(StringCodec.INSTANCE)
        .eval(
            RScript.Mode.READ_ONLY,
            RANGE,
            RScript.ReturnType.MULTI,
            List.of(keys.fanoutLog(appId)),
            start,
            Integer.toString(count));
  }

  private static String join(Set<String> values) {
    for (String value : values) {
      if (value.isEmpty() || value.contains(SEPARATOR)) {
        throw new IllegalArgumentException("a tag or platform must be non-empty and on one line: " + value);
      }
    }
    return String.join(SEPARATOR, new TreeSet<>(values));
  }

  private static Set<String> split(String joined) {
    if (joined == null || joined.isEmpty()) {
      return Set.of();
    }
    return new LinkedHashSet<>(Arrays.asList(joined.split(SEPARATOR)));
  }
}
