package io.universepush.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutPage;
import io.universepush.store.fanout.FanoutPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.StringCodec;

class RedisFanoutLogTest extends RedisTestServer {
  private static final String APP = "0123456789abcdef";
  private static final String OTHER_APP = "fedcba9876543210";
  /** What the log's clock reads; expiry times in these tests are around it, whatever the real time. */
  private static final long NOW = 1_800_000_000_000L;

  private static final long NEVER = 0;

  private String prefix;
  private RedisKeys keys;
  private RedisFanoutLog log;

  @BeforeEach
  void setUp() {
    prefix = uniquePrefix();
    keys = new RedisKeys(prefix);
    log = logWith(RedisFanoutLog.DEFAULT_MAX_LENGTH);
  }

  private RedisFanoutLog logWith(long maxLength) {
    return new RedisFanoutLog(
        redisson,
        prefix,
        maxLength,
        RedisFanoutLog.DEFAULT_MAX_AGE,
        Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
  }

  private static FanoutEntry entry(String msgId) {
    return entry(msgId, NOW + 3_600_000);
  }

  private static FanoutEntry entry(String msgId, long expiresAtMs) {
    return FanoutEntry.of(APP, msgId, Set.of("news", "sport"), Set.of("ios"), expiresAtMs);
  }

  private List<FanoutEntry> append(RedisFanoutLog to, int count) {
    List<FanoutEntry> appended = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      appended.add(to.append(entry("m" + i)));
    }
    return appended;
  }

  // --- offsets and epochs -----------------------------------------------------------------------------------------

  @Test
  void appendsGetConsecutiveOffsetsFromOneInOneEpochAndComeBackWithTheirFields() {
    FanoutEntry first = log.append(entry("m1"));
    FanoutEntry second = log.append(FanoutEntry.of(APP, "m2", Set.of(), Set.of(), NEVER));
    FanoutEntry third = log.append(entry("m3"));

    assertThat(List.of(first, second, third)).extracting(FanoutEntry::offset).containsExactly(1L, 2L, 3L);
    assertThat(first.epoch()).hasSize(10).matches("[0-9a-z]+");
    assertThat(List.of(second.epoch(), third.epoch())).containsOnly(first.epoch());
    assertThat(first.isLogged()).isTrue();
    assertThat(first.appendedAtMs()).isPositive();
    assertThat(second.appendedAtMs()).isGreaterThanOrEqualTo(first.appendedAtMs());
    assertThat(log.top(APP)).isEqualTo(new FanoutPosition(3, first.epoch()));

    FanoutPage page = log.read(APP, new FanoutPosition(0, first.epoch()), 0, 10);
    assertThat(page.entries()).containsExactly(first, second, third);
    assertThat(page.entries().get(0).tags()).containsExactlyInAnyOrder("news", "sport");
    assertThat(page.entries().get(0).platforms()).containsExactly("ios");
    assertThat(page.entries().get(1).tags()).isEmpty();
    assertThat(page.entries().get(1).platforms()).isEmpty();
    assertThat(page.entries().get(1).expiresAtMs()).isZero();
  }

  @Test
  void topOfAnEmptyAppStartsAnEpochAtZeroThatTheFirstAppendContinues() {
    FanoutPosition top = log.top(APP);

    assertThat(top.offset()).isZero();
    assertThat(top.epoch()).hasSize(10);
    assertThat(log.top(APP)).isEqualTo(top);
    FanoutEntry first = log.append(entry("m1"));
    assertThat(first.offset()).isEqualTo(1);
    assertThat(first.epoch()).isEqualTo(top.epoch());
    assertThat(log.top(OTHER_APP).epoch()).isNotEqualTo(top.epoch());
  }

  @Test
  void aLostLogStartsANewEpochAndPositionsInTheOldOneAreNotRecovered() {
    List<FanoutEntry> before = append(log, 2);
    String oldEpoch = before.get(0).epoch();

    redisson.getKeys().delete(keys.fanoutLog(APP), keys.fanoutMeta(APP));
    FanoutEntry after = log.append(entry("after"));

    assertThat(after.offset()).isEqualTo(1);
    assertThat(after.epoch()).isNotEqualTo(oldEpoch);
    FanoutPage page = log.read(APP, new FanoutPosition(2, oldEpoch), 0, 10);
    assertThat(page.recovered()).isFalse();
    assertThat(page.epoch()).isEqualTo(after.epoch());
    assertThat(page.from()).isEqualTo(1);
    assertThat(page.until()).isEqualTo(1);
    assertThat(page.entries()).isEmpty();
  }

  @Test
  void aQuietAppKeepsItsEpochAndOffsetsWhenItsStreamExpires() {
    List<FanoutEntry> before = append(log, 2);
    String epoch = before.get(0).epoch();
    assertThat(redisson.getKeys().remainTimeToLive(keys.fanoutLog(APP)))
        .isBetween(1L, RedisFanoutLog.DEFAULT_MAX_AGE.toMillis());
    assertThat(redisson.getKeys().remainTimeToLive(keys.fanoutMeta(APP))).as("no TTL").isEqualTo(-1);

    // What the stream's TTL does to an app that stays quiet for longer than the maximum age.
    redisson.getKeys().delete(keys.fanoutLog(APP));

    assertThat(log.top(APP)).isEqualTo(new FanoutPosition(2, epoch));
    FanoutPage atTop = log.read(APP, new FanoutPosition(2, epoch), 0, 10);
    assertThat(atTop.recovered()).isTrue();
    assertThat(atTop.entries()).isEmpty();
    assertThat(log.read(APP, new FanoutPosition(1, epoch), 0, 10).recovered()).as("entry 2 is gone").isFalse();

    FanoutEntry next = log.append(entry("next"));
    assertThat(next.offset()).isEqualTo(3);
    assertThat(next.epoch()).isEqualTo(epoch);
    assertThat(log.read(APP, new FanoutPosition(2, epoch), 0, 10).entries()).containsExactly(next);
  }

  @Test
  void theStreamAndItsMetaShareTheAppsHashTag() {
    log.append(entry("m1"));

    String stream = keys.fanoutLog(APP);
    String meta = keys.fanoutMeta(APP);
    assertThat(stream).isNotEqualTo(meta);
    assertThat(hashTag(stream)).isEqualTo(APP);
    assertThat(hashTag(meta)).isEqualTo(APP);
    assertThat(redisson.getKeys().countExists(stream, meta)).isEqualTo(2);
  }

  /** Redis Cluster's rule: the text between the first '{' and the next '}', when not empty, else the whole key. */
  private static String hashTag(String key) {
    int open = key.indexOf('{');
    int close = open < 0 ? -1 : key.indexOf('}', open + 1);
    return close > open + 1 ? key.substring(open + 1, close) : key;
  }

  // --- reading after a position -----------------------------------------------------------------------------------

  @Test
  void aReadAfterAPositionReturnsTheNextEntriesInOrderAndPagesWithASmallLimit() {
    List<FanoutEntry> all = append(log, 5);
    String epoch = all.get(0).epoch();

    FanoutPage first = log.read(APP, new FanoutPosition(1, epoch), 0, 2);
    assertThat(first.recovered()).isTrue();
    assertThat(first.epoch()).isEqualTo(epoch);
    assertThat(first.top()).isEqualTo(5);
    assertThat(first.from()).isEqualTo(1);
    assertThat(first.until()).isEqualTo(3);
    assertThat(first.entries()).containsExactly(all.get(1), all.get(2));
    assertThat(first.hasMore()).isTrue();

    FanoutPage second = log.read(APP, first.position(), 0, 2);
    assertThat(second.from()).isEqualTo(3);
    assertThat(second.until()).isEqualTo(5);
    assertThat(second.entries()).containsExactly(all.get(3), all.get(4));
    assertThat(second.hasMore()).isFalse();

    FanoutPage atTop = log.read(APP, second.position(), 0, 2);
    assertThat(atTop.recovered()).isTrue();
    assertThat(atTop.from()).isEqualTo(5);
    assertThat(atTop.until()).isEqualTo(5);
    assertThat(atTop.entries()).isEmpty();
    assertThat(atTop.hasMore()).isFalse();
  }

  @Test
  void aReadWithoutALimitIsAnEmptyPageAtItsStart() {
    List<FanoutEntry> all = append(log, 3);
    String epoch = all.get(0).epoch();

    FanoutPage page = log.read(APP, new FanoutPosition(1, epoch), 0, 0);
    assertThat(page).isEqualTo(new FanoutPage(epoch, 3, true, 1, 1, List.of()));
    assertThat(page.hasMore()).isTrue();
    assertThat(log.read(APP, new FanoutPosition(1, "another"), 0, -1))
        .isEqualTo(new FanoutPage(epoch, 3, false, 3, 3, List.of()));
    assertThat(log.read(APP, null, 0, 0)).isEqualTo(new FanoutPage(epoch, 3, true, 0, 0, List.of()));
  }

  @Test
  void expiredEntriesAreSkippedButTheReadMovesPastThem() {
    FanoutEntry expiredBefore = log.append(entry("expired-before", NOW - 1));
    FanoutEntry expiringNow = log.append(entry("expiring-now", NOW));
    FanoutEntry never = log.append(entry("never", NEVER));
    FanoutEntry later = log.append(entry("later", NOW + 1));
    String epoch = later.epoch();

    FanoutPage page = log.read(APP, new FanoutPosition(0, epoch), 0, 3);
    assertThat(page.entries()).containsExactly(never);
    assertThat(page.until()).isEqualTo(never.offset());
    assertThat(page.hasMore()).isTrue();
    FanoutPage onlyExpired = log.read(APP, new FanoutPosition(0, epoch), 0, 2);
    assertThat(onlyExpired.entries()).isEmpty();
    assertThat(onlyExpired.until()).isEqualTo(expiringNow.offset());
    assertThat(log.read(APP, page.position(), 0, 3).entries()).containsExactly(later);
    assertThat(expiredBefore.offset()).isEqualTo(1);
  }

  @Test
  void aPositionInAnotherEpochIsNotRecoveredAndStartsAtTop() {
    List<FanoutEntry> all = append(log, 3);

    FanoutPage page = log.read(APP, new FanoutPosition(2, "0000000000"), 0, 10);

    assertThat(page).isEqualTo(new FanoutPage(all.get(0).epoch(), 3, false, 3, 3, List.of()));
    assertThat(page.position()).isEqualTo(new FanoutPosition(3, all.get(0).epoch()));
  }

  @Test
  void aPositionBeyondTopIsNotRecovered() {
    String epoch = append(log, 3).get(0).epoch();

    assertThat(log.read(APP, new FanoutPosition(4, epoch), 0, 10))
        .isEqualTo(new FanoutPage(epoch, 3, false, 3, 3, List.of()));
    assertThat(log.read(APP, new FanoutPosition(3, epoch), 0, 10).recovered()).isTrue();
  }

  @Test
  void aPositionBeforeTheTrimmedHeadIsNotRecovered() {
    RedisFanoutLog small = logWith(10);
    String epoch = append(small, 500).get(0).epoch();

    // Approximate trimming keeps whole stream nodes (up to 100 entries each) beyond the limit.
    assertThat(redisson.getStream(keys.fanoutLog(APP)).size()).isLessThan(500);
    long head = small.read(APP, null, 0, 1).from() + 1;
    assertThat(head).isGreaterThan(1);

    assertThat(small.read(APP, new FanoutPosition(0, epoch), 0, 10).recovered()).isFalse();
    FanoutPage lost = small.read(APP, new FanoutPosition(head - 2, epoch), 0, 10);
    assertThat(lost.recovered()).isFalse();
    assertThat(lost.from()).isEqualTo(500);
    assertThat(lost.entries()).isEmpty();
    FanoutPage kept = small.read(APP, new FanoutPosition(head - 1, epoch), 0, 10);
    assertThat(kept.recovered()).isTrue();
    assertThat(kept.entries().get(0).offset()).isEqualTo(head);
  }

  @Test
  void entriesOlderThanTheMaximumAgeAreDroppedFromTheHeadAtMostAHundredPerAppend() {
    // As if appended long ago: 150 entries at t = 1 ms.
    seed("seeded", 150, 0);

    FanoutEntry first = log.append(entry("first"));
    assertThat(first.offset()).isEqualTo(151);
    assertThat(first.epoch()).isEqualTo("seeded");
    assertThat(streamOffsets()).first().isEqualTo(101L);
    assertThat(streamOffsets()).hasSize(51);
    assertThat(log.read(APP, new FanoutPosition(100, "seeded"), 0, 1).recovered()).isTrue();

    FanoutEntry second = log.append(entry("second"));
    assertThat(streamOffsets()).containsExactly(151L, 152L);
    assertThat(log.read(APP, new FanoutPosition(100, "seeded"), 0, 1).recovered()).isFalse();
    assertThat(log.read(APP, new FanoutPosition(150, "seeded"), 0, 10).entries()).containsExactly(first, second);
  }

  @Test
  void onlyTheEntriesOlderThanTheMaximumAgeAreDropped() {
    // 30 entries at t = 1 ms, then 20 appended now.
    seed("seeded", 30, 20);

    log.append(entry("m"));

    assertThat(streamOffsets()).first().isEqualTo(31L);
    assertThat(streamOffsets()).hasSize(21);
  }

  /** Writes a log directly in the layout RedisFanoutLog uses: {@code old} entries at t = 1 ms, then {@code recent}. */
  private void seed(String epoch, int old, int recent) {
    redisson
        .getScript(StringCodec.INSTANCE)
        .eval(
            RScript.Mode.READ_WRITE,
            """
            local t = redis.call('time')
            local now = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
            local total = tonumber(ARGV[2]) + tonumber(ARGV[3])
            for i = 1, total do
              redis.call('xadd', KEYS[1], i .. '-0', 'msg', 's' .. i, 'tags', '', 'platforms', '', 'exp', '0',
                't', i <= tonumber(ARGV[2]) and '1' or now)
            end
            redis.call('hset', KEYS[2], 'epoch', ARGV[1], 'top', total)
            return total
            """,
            RScript.ReturnType.INTEGER,
            List.of(keys.fanoutLog(APP), keys.fanoutMeta(APP)),
            epoch,
            Integer.toString(old),
            Integer.toString(recent));
  }

  private List<Long> streamOffsets() {
    List<Long> offsets = new ArrayList<>();
    RStream<String, String> stream = redisson.getStream(keys.fanoutLog(APP), StringCodec.INSTANCE);
    for (StreamMessageId id : stream.range(StreamMessageId.MIN, StreamMessageId.MAX).keySet()) {
      offsets.add(id.getId0());
    }
    return offsets;
  }

  // --- reading without a position ---------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 37})
  void withoutAPositionTheReadStartsAtTheFirstEntryAppendedAtOrAfterTheGivenTime(int count) {
    List<FanoutEntry> all = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      all.add(appendInALaterMillisecond(all.isEmpty() ? 0 : all.get(all.size() - 1).appendedAtMs(), "m" + i));
    }

    TreeSet<Long> times = new TreeSet<>(List.of(0L, Long.MAX_VALUE / 2));
    for (FanoutEntry e : all) {
      times.addAll(List.of(e.appendedAtMs() - 1, e.appendedAtMs(), e.appendedAtMs() + 1));
    }
    for (long since : times) {
      // The oracle: a linear scan.
      FanoutEntry expected = all.stream().filter(e -> e.appendedAtMs() >= since).findFirst().orElse(null);
      FanoutPage page = log.read(APP, null, since, 1);

      assertThat(page.recovered()).as("since %d", since).isTrue();
      assertThat(page.top()).isEqualTo(count);
      if (expected == null) {
        assertThat(page.from()).as("since %d", since).isEqualTo(count);
        assertThat(page.entries()).isEmpty();
      } else {
        assertThat(page.from()).as("since %d", since).isEqualTo(expected.offset() - 1);
        assertThat(page.entries()).containsExactly(expected);
      }
    }
  }

  @Test
  void withoutAPositionAnEmptyLogStartsAtTop() {
    FanoutPage empty = log.read(APP, null, 0, 10);
    assertThat(empty.recovered()).isTrue();
    assertThat(empty.top()).isZero();
    assertThat(empty.from()).isZero();
    assertThat(empty.until()).isZero();
    assertThat(empty.epoch()).isEqualTo(log.top(APP).epoch());

    append(log, 2);
    redisson.getKeys().delete(keys.fanoutLog(APP));
    FanoutPage expired = log.read(APP, null, 0, 10);
    assertThat(expired.from()).isEqualTo(2);
    assertThat(expired.entries()).isEmpty();
  }

  /**
   * Appends once Redis's clock (which stamps entries) has passed {@code afterMs}, so that each entry has its own
   * millisecond. A busy wait on a condition, at most about a millisecond, not a sleep for a guessed time.
   */
  private FanoutEntry appendInALaterMillisecond(long afterMs, String msgId) {
    while (redisMillis() <= afterMs) {
      Thread.onSpinWait();
    }
    FanoutEntry appended = log.append(entry(msgId));
    assertThat(appended.appendedAtMs()).isGreaterThan(afterMs);
    return appended;
  }

  private long redisMillis() {
    Long millis =
        redisson
            .getScript(StringCodec.INSTANCE)
            .eval(
                RScript.Mode.READ_ONLY,
                "local t = redis.call('time') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)",
                RScript.ReturnType.INTEGER);
    return millis;
  }

  // --- limits -----------------------------------------------------------------------------------------------------

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new RedisFanoutLog(redisson, prefix, 0, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RedisFanoutLog(redisson, prefix, 10, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
