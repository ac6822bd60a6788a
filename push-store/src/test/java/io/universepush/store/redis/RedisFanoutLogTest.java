package io.universepush.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutIds;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisFanoutLogTest extends RedisTestServer {
  private static final String APP = "0123456789abcdef";
  private static final String OTHER_APP = "fedcba9876543210";

  private String prefix;
  private RedisFanoutLog log;

  @BeforeEach
  void setUp() {
    prefix = uniquePrefix();
    log = new RedisFanoutLog(redisson, prefix);
  }

  private static FanoutEntry entry(String app, String msgId, long expiresAtMs) {
    return new FanoutEntry(null, app, msgId, Set.of("news", "sport"), Set.of("ios"), expiresAtMs);
  }

  private static long inAnHour() {
    return System.currentTimeMillis() + 3_600_000;
  }

  @Test
  void appendedEntriesComeBackInOrderWithTheirFields() {
    FanoutEntry first = log.append(entry(APP, "m1", inAnHour()));
    FanoutEntry second = log.append(new FanoutEntry(null, APP, "m2", Set.of(), Set.of(), 0));

    assertThat(FanoutIds.isValid(first.id())).isTrue();
    assertThat(FanoutIds.compare(first.id(), second.id())).isNegative();

    List<FanoutEntry> all = log.after(APP, null, 0, 10);
    assertThat(all).containsExactly(first, second);
    assertThat(all.get(0).tags()).containsExactlyInAnyOrder("news", "sport");
    assertThat(all.get(0).platforms()).containsExactly("ios");
    assertThat(all.get(1).tags()).isEmpty();
    assertThat(all.get(1).expiresAtMs()).isZero();
  }

  @Test
  void afterACursorIsExclusiveAndLimited() {
    FanoutEntry a = log.append(entry(APP, "a", inAnHour()));
    FanoutEntry b = log.append(entry(APP, "b", inAnHour()));
    FanoutEntry c = log.append(entry(APP, "c", inAnHour()));

    assertThat(log.after(APP, a.id(), 0, 10)).containsExactly(b, c);
    assertThat(log.after(APP, a.id(), 0, 1)).containsExactly(b);
    assertThat(log.after(APP, c.id(), 0, 10)).isEmpty();
    assertThat(log.after(OTHER_APP, null, 0, 10)).isEmpty();
  }

  @Test
  void withoutACursorReadsFromTheGivenTimeAndAnInvalidCursorCountsAsNone() {
    FanoutEntry old = log.append(entry(APP, "old", inAnHour()));
    long since = FanoutIds.timeOf(old.id()) + 1;
    FanoutEntry recent;
    do {
      recent = log.append(entry(APP, "recent", inAnHour()));
    } while (FanoutIds.timeOf(recent.id()) < since);

    assertThat(log.after(APP, "", since, 100)).extracting(FanoutEntry::msgId).containsOnly("recent");
    assertThat(log.after(APP, "not-an-id", since, 100)).extracting(FanoutEntry::msgId).containsOnly("recent");
    assertThat(log.after(APP, "garbage", 0, 1)).containsExactly(old);
  }

  @Test
  void expiredEntriesAreSkippedWithoutCountingTowardsTheLimit() {
    long past = System.currentTimeMillis() - 1;
    for (int i = 0; i < 5; i++) {
      log.append(entry(APP, "expired" + i, past));
    }
    FanoutEntry live1 = log.append(entry(APP, "live1", inAnHour()));
    FanoutEntry live2 = log.append(entry(APP, "live2", inAnHour()));

    assertThat(log.after(APP, null, 0, 2)).containsExactly(live1, live2);
  }

  @Test
  void theStreamIsTrimmedByLengthAndExpiresByAge() {
    RedisFanoutLog small = new RedisFanoutLog(redisson, prefix, 10, Duration.ofDays(1));
    for (int i = 0; i < 500; i++) {
      small.append(entry(APP, "m" + i, inAnHour()));
    }
    // Approximate trimming keeps whole stream nodes (up to 100 entries each) beyond the limit.
    long length = redisson.getStream(prefix + "fanout:" + APP).size();
    assertThat(length).isLessThan(500);
    assertThat(small.after(APP, null, 0, 1000).get(0).msgId()).isNotEqualTo("m0");
    assertThat(redisson.getKeys().remainTimeToLive(prefix + "fanout:" + APP))
        .isBetween(1L, Duration.ofDays(1).toMillis());
  }
}
