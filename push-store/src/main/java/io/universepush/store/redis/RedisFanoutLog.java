package io.universepush.store.redis;

import static io.universepush.store.redis.RedisFailures.call;
import static io.universepush.store.redis.Values.parseLong;

import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.fanout.FanoutPage;
import io.universepush.store.fanout.FanoutPosition;
import java.security.SecureRandom;
import java.time.Clock;
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
 * Two keys per app, in one Redis Cluster slot: a stream {@code fanout:{app}} whose entry ids are {@code <offset>-0},
 * with fields {@code msg}, {@code tags} and {@code platforms} (newline-separated), {@code exp} (epoch millis, 0 =
 * never) and {@code t} (append time, Redis TIME in millis); and a hash {@code fanout:{app}:meta} with the log's
 * {@code epoch} and {@code top} offset.
 *
 * <p>Each append trims the stream approximately to a maximum length and drops a bounded number of entries older than
 * the maximum age (the longest ttl a push may have, so a dropped entry's message has expired anyway), and lets the
 * stream expire that long after its last append. The meta hash never expires: a quiet app keeps its epoch and its
 * offsets, and its devices' positions stay valid. When the meta hash is gone (Redis lost its data, or someone deleted
 * the keys) the next append, top or read starts a new epoch, and every position of the old one is told so.
 *
 * <p>Offsets are consecutive because only appends add entries and only trimming from the head removes them: between
 * the stream's first entry and {@code top} there is an entry for every offset, which the time search relies on.
 */
public final class RedisFanoutLog implements FanoutLog {
  public static final long DEFAULT_MAX_LENGTH = 100_000;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

  private static final String SEPARATOR = "\n";
  private static final int EPOCH_LENGTH = 10;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Shared by the scripts. KEYS[1] is the stream, KEYS[2] the meta hash. {@code epoch(candidate)} returns the log's
   * epoch, starting one with the candidate when there is none; a stream left from a lost epoch is dropped then, as
   * its ids would collide with the new epoch's offsets.
   */
  private static final String COMMON =
      """
      local function epoch(candidate)
        local e = redis.call('hget', KEYS[2], 'epoch')
        if e then return e end
        redis.call('del', KEYS[1])
        redis.call('hset', KEYS[2], 'epoch', candidate, 'top', 0)
        return candidate
      end
      local function currentTop()
        return tonumber(redis.call('hget', KEYS[2], 'top') or '0')
      end
      local function offset(entry)
        return tonumber(string.match(entry[1], '^(%d+)'))
      end
      local function field(entry, name)
        local f = entry[2]
        for i = 1, #f, 2 do
          if f[i] == name then return f[i + 1] end
        end
        return nil
      end
      local function appended(entry)
        return tonumber(field(entry, 't') or '0')
      end
      -- The first entry whose offset is k or more, or nil.
      local function at(k)
        return redis.call('xrange', KEYS[1], string.format('%d-0', k), '+', 'COUNT', 1)[1]
      end
      local function first()
        return redis.call('xrange', KEYS[1], '-', '+', 'COUNT', 1)[1]
      end
      -- The smallest offset in (lo, hi] whose entry satisfies ok, given that lo's does not and hi's does; entries
      -- are ordered by offset and by append time, so ok is monotonic. O(log(hi - lo)) XRANGEs.
      local function search(lo, hi, ok)
        while hi - lo > 1 do
          local mid = math.floor((lo + hi) / 2)
          if ok(at(mid)) then hi = mid else lo = mid end
        end
        return hi
      end
      local function nowMs()
        local t = redis.call('time')
        return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      end
      """;

  // ARGV: epoch candidate, maxLen, maxAgeMs, msg, tags, platforms, exp, from. Returns {offset, epoch, appended at}.
  private static final String APPEND =
      COMMON
          + """
          local e = epoch(ARGV[1])
          local top = redis.call('hincrby', KEYS[2], 'top', 1)
          local now = nowMs()
          redis.call('xadd', KEYS[1], 'MAXLEN', '~', ARGV[2], string.format('%d-0', top),
            'msg', ARGV[4], 'tags', ARGV[5], 'platforms', ARGV[6], 'exp', ARGV[7], 't', string.format('%d', now),
            'from', ARGV[8])
          -- Drop at most 100 entries older than the maximum age from the head per append: the work stays bounded
          -- after a long idle period, and each append catches up by more than it adds.
          local cutoff = now - tonumber(ARGV[3])
          local head = first()
          if head and appended(head) < cutoff then
            local old = function(entry) return entry ~= nil and appended(entry) < cutoff end
            local lo = offset(head)
            local hi = math.min(lo + 100, top)
            if not old(at(hi)) then hi = search(lo, hi, function(entry) return not old(entry) end) end
            redis.call('xtrim', KEYS[1], 'MINID', string.format('%d-0', hi))
          end
          redis.call('pexpire', KEYS[1], ARGV[3])
          return {string.format('%d', top), e, string.format('%d', now)}
          """;

  // ARGV: epoch candidate. Returns {epoch, top}.
  private static final String TOP =
      COMMON
          + """
          local e = epoch(ARGV[1])
          return {e, string.format('%d', currentTop())}
          """;

  /**
   * ARGV: epoch candidate, 'at' (continue a position) or 'since' (no position), the position's offset and epoch,
   * sinceMs, limit. Returns a flat list, so the reply has no nested arrays to decode: epoch, top, recovered (1/0),
   * from, until, then offset, msg, tags, platforms, exp, t, from for each examined entry. Expiry is left to the caller.
   */
  private static final String READ =
      COMMON
          + """
          local e = epoch(ARGV[1])
          local top = currentTop()
          local head = first()
          local firstOffset = head and offset(head) or top + 1
          local recovered = 1
          local from
          if ARGV[2] == 'at' then
            local after = tonumber(ARGV[3])
            if ARGV[4] ~= e or after > top or after < firstOffset - 1 then
              recovered = 0
              from = top
            else
              from = after
            end
          else
            local since = tonumber(ARGV[5])
            local late = function(entry) return entry ~= nil and appended(entry) >= since end
            if head == nil or not late(at(top)) then
              from = top
            elseif late(head) then
              from = firstOffset - 1
            else
              from = search(firstOffset, top, late) - 1
            end
          end
          local out = {e, string.format('%d', top), tostring(recovered), string.format('%d', from), ''}
          local last = from
          local limit = tonumber(ARGV[6])
          if recovered == 1 and limit > 0 and from < top then
            local entries = redis.call('xrange', KEYS[1], string.format('%d-0', from + 1), '+', 'COUNT', limit)
            for _, entry in ipairs(entries) do
              last = offset(entry)
              table.insert(out, string.format('%d', last))
              table.insert(out, field(entry, 'msg') or '')
              table.insert(out, field(entry, 'tags') or '')
              table.insert(out, field(entry, 'platforms') or '')
              table.insert(out, field(entry, 'exp') or '0')
              table.insert(out, field(entry, 't') or '0')
              table.insert(out, field(entry, 'from') or '')
            end
          end
          out[5] = string.format('%d', last)
          return out
          """;

  private static final int HEADER_FIELDS = 5;
  private static final int FIELDS_PER_ENTRY = 7;

  private final RedissonClient redisson;
  private final RedisKeys keys;
  private final long maxLength;
  private final long maxAgeMs;
  private final Clock clock;

  public RedisFanoutLog(RedissonClient redisson, String keyPrefix) {
    this(redisson, keyPrefix, DEFAULT_MAX_LENGTH, DEFAULT_MAX_AGE);
  }

  public RedisFanoutLog(RedissonClient redisson, String keyPrefix, long maxLength, Duration maxAge) {
    this(redisson, keyPrefix, maxLength, maxAge, Clock.systemUTC());
  }

  /**
   * @param maxLength the approximate number of entries kept (Redis trims whole stream nodes)
   * @param maxAge how long entries are kept; the longest ttl a push may have
   * @param clock decides which entries' messages have expired when the log is read
   */
  public RedisFanoutLog(RedissonClient redisson, String keyPrefix, long maxLength, Duration maxAge, Clock clock) {
    if (maxLength <= 0 || maxAge.toMillis() <= 0) {
      throw new IllegalArgumentException("fan-out log limits must be positive");
    }
    this.redisson = redisson;
    this.keys = new RedisKeys(keyPrefix);
    this.maxLength = maxLength;
    this.maxAgeMs = maxAge.toMillis();
    this.clock = clock;
  }

  @Override
  public FanoutEntry append(FanoutEntry entry) {
    String tags = join(entry.tags());
    String platforms = join(entry.platforms());
    List<Object> reply =
        call(
            "fan-out log append",
            () ->
                eval(
                    RScript.Mode.READ_WRITE,
                    APPEND,
                    entry.appId(),
                    entry.channel(),
                    newEpoch(),
                    Long.toString(maxLength),
                    Long.toString(maxAgeMs),
                    entry.msgId(),
                    tags,
                    platforms,
                    Long.toString(entry.expiresAtMs()),
                    entry.sender()));
    return entry.appended(number(reply, 0), (String) reply.get(1), number(reply, 2));
  }

  @Override
  public FanoutPosition top(String appId, String channel) {
    List<Object> reply =
        call("fan-out log top", () -> eval(RScript.Mode.READ_WRITE, TOP, appId, channel, newEpoch()));
    return new FanoutPosition(number(reply, 1), (String) reply.get(0));
  }

  @Override
  public FanoutPage read(String appId, String channel, FanoutPosition after, long sinceMs, int limit) {
    List<Object> reply =
        call(
            "fan-out log read",
            () ->
                eval(
                    // It writes when the app has no epoch yet.
                    RScript.Mode.READ_WRITE,
                    READ,
                    appId,
                    channel,
                    newEpoch(),
                    after == null ? "since" : "at",
                    after == null ? "0" : Long.toString(after.offset()),
                    after == null ? "" : after.epoch(),
                    Long.toString(sinceMs),
                    Integer.toString(Math.max(limit, 0))));
    String epoch = (String) reply.get(0);
    long now = clock.millis();
    List<FanoutEntry> live = new ArrayList<>();
    for (int i = HEADER_FIELDS; i + FIELDS_PER_ENTRY <= reply.size(); i += FIELDS_PER_ENTRY) {
      FanoutEntry entry =
          new FanoutEntry(
              number(reply, i),
              epoch,
              appId,
              channel,
              (String) reply.get(i + 1),
              split((String) reply.get(i + 2)),
              split((String) reply.get(i + 3)),
              (String) reply.get(i + 6),
              number(reply, i + 4),
              number(reply, i + 5));
      if (!entry.isExpired(now)) {
        live.add(entry);
      }
    }
    return new FanoutPage(
        epoch, number(reply, 1), "1".equals(reply.get(2)), number(reply, 3), number(reply, 4), live);
  }

  private List<Object> eval(RScript.Mode mode, String script, String appId, String channel, String... args) {
    return redisson
        .getScript(StringCodec.INSTANCE)
        .eval(
            mode,
            script,
            RScript.ReturnType.MULTI,
            List.of(keys.fanoutLog(appId, channel), keys.fanoutMeta(appId, channel)),
            (Object[]) args);
  }

  /** A short random epoch: 10 base-36 characters (about 51 bits), so two epochs of one app never meet. */
  static String newEpoch() {
    StringBuilder epoch = new StringBuilder(EPOCH_LENGTH);
    for (int i = 0; i < EPOCH_LENGTH; i++) {
      epoch.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return epoch.toString();
  }

  private static long number(List<Object> reply, int index) {
    return parseLong((String) reply.get(index));
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
