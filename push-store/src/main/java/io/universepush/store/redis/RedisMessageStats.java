package io.universepush.store.redis;

import static io.universepush.store.redis.RedisFailures.call;
import static io.universepush.store.redis.RedisFailures.run;

import io.universepush.store.message.MessageStats;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Counters in {@code stat:{id}} hashes. {@link RedisMessageStore} creates the hash with the message (TTL = message
 * TTL + one day); a counter bumped for a message without one (a fan-out) creates it with a one-day TTL, so stats
 * never stay forever by accident.
 */
public final class RedisMessageStats implements MessageStats {
  // KEYS: stat. ARGV: counter, delta, ttlMs for a hash created here.
  private static final String INCREMENT =
      """
      local existed = redis.call('exists', KEYS[1])
      redis.call('hincrby', KEYS[1], ARGV[1], ARGV[2])
      if existed == 0 then redis.call('pexpire', KEYS[1], ARGV[3]) end
      return 1
      """;

  private final RedissonClient redisson;
  private final RedisKeys keys;

  public RedisMessageStats(RedissonClient redisson, String keyPrefix) {
    this.redisson = redisson;
    this.keys = new RedisKeys(keyPrefix);
  }

  @Override
  public void increment(String msgId, String counter, long delta) {
    run(
        "stats increment",
        () ->
            redisson
                .getScript(StringCodec.INSTANCE)
                .eval(
                    RScript.Mode.READ_WRITE,
                    INCREMENT,
                    RScript.ReturnType.INTEGER,
                    List.of(keys.stat(msgId)),
                    counter,
                    Long.toString(delta),
                    Long.toString(RedisMessageStore.STATS_GRACE_MS)));
  }

  @Override
  public Map<String, Long> counters(String msgId) {
    return call(
        "stats lookup",
        () -> {
          Map<String, Long> counters = new TreeMap<>();
          redisson
              .<String, String>getMap(keys.stat(msgId), StringCodec.INSTANCE)
              .readAllMap()
              .forEach((name, value) -> counters.put(name, Long.parseLong(value)));
          return counters;
        });
  }
}
