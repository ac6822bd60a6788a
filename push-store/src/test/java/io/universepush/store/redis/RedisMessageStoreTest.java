package io.universepush.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.store.message.MessageIds;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.PendingEntry;
import io.universepush.store.message.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisMessageStoreTest extends RedisTestServer {
  private static final String APP = "0123456789abcdef";

  private RedisMessageStore messages;
  private RedisMessageStats stats;
  private String prefix;

  @BeforeEach
  void setUp() {
    prefix = uniquePrefix();
    messages = new RedisMessageStore(redisson, prefix);
    stats = new RedisMessageStats(redisson, prefix);
  }

  @Test
  void savedMessageIsFoundWithEveryField() {
    StoredMessage message =
        new StoredMessage(
            MessageIds.next(),
            APP,
            new byte[] {0, 1, (byte) 0xff, 42},
            "Title",
            "Alert",
            Map.of("k", "v", "deep", "link"),
            System.currentTimeMillis(),
            System.currentTimeMillis() + 60_000);

    messages.saveWithPending(message, List.of("reg-1", "reg-2", "reg-1"));

    StoredMessage found = messages.find(message.msgId()).orElseThrow();
    assertThat(found.payload()).containsExactly(message.payload());
    assertThat(found).usingRecursiveComparison().ignoringFields("payload").isEqualTo(message);
    assertThat(messages.pending("reg-1", 10)).containsExactly(message.msgId());
    assertThat(messages.pending("reg-2", 10)).containsExactly(message.msgId());
    assertThat(stats.counters(message.msgId())).containsEntry(MessageStats.TARGETS, 2L);
    assertThat(messages.find("missing")).isEmpty();
  }

  @Test
  void pendingIsInSendOrderWhateverEachMessagesTtl() {
    long now = System.currentTimeMillis();
    StoredMessage longTtl = message(now - 3, now + 7_200_000);
    StoredMessage shortTtl = message(now - 2, now + 60_000);
    StoredMessage forever = message(now - 1, 0);
    StoredMessage sameMillisFirst = message(now, now + 90_000);
    StoredMessage sameMillisSecond = message(now, now + 30_000);
    for (StoredMessage m : List.of(sameMillisSecond, forever, shortTtl, sameMillisFirst, longTtl)) {
      messages.saveWithPending(m, List.of("reg-1"));
    }

    assertThat(messages.pending("reg-1", 10))
        .containsExactly(
            longTtl.msgId(), shortTtl.msgId(), forever.msgId(), sameMillisFirst.msgId(), sameMillisSecond.msgId());
    assertThat(messages.pending("reg-1", 2)).containsExactly(longTtl.msgId(), shortTtl.msgId());
    assertThat(messages.pending("reg-1", 0)).isEmpty();
    assertThat(messages.pending("reg-other", 10)).isEmpty();
  }

  @Test
  void expiredEntriesBeforeLiveOnesDoNotShortenTheAnswer() {
    long now = System.currentTimeMillis();
    List<StoredMessage> shortLived = List.of(message(now - 4, now + 300), message(now - 3, now + 300));
    StoredMessage live = message(now - 2, now + 60_000);
    StoredMessage liveToo = message(now - 1, now + 60_000);
    for (StoredMessage m : List.of(shortLived.get(0), shortLived.get(1), live, liveToo)) {
      messages.saveWithPending(m, List.of("reg-1"));
    }
    // Each message key has a TTL of its own: wait until Redis has expired both, not just one.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> shortLived.stream().allMatch(m -> messages.find(m.msgId()).isEmpty()));

    assertThat(messages.pending("reg-1", 2)).containsExactly(live.msgId(), liveToo.msgId());
    for (StoredMessage expired : shortLived) {
      assertThat(stats.counters(expired.msgId())).containsEntry(MessageStats.EXPIRED, 1L);
    }
  }

  @Test
  void messageWithoutExpiryStaysPending() {
    StoredMessage forever = message(0);
    messages.saveWithPending(forever, List.of("reg-1"));

    assertThat(messages.pending("reg-1", 10)).containsExactly(forever.msgId());
    assertThat(messages.find(forever.msgId())).isPresent();
  }

  @Test
  void ackRemovesThePendingEntryOnce() {
    StoredMessage message = message(System.currentTimeMillis() + 60_000);
    messages.saveWithPending(message, List.of("reg-1", "reg-2"));

    assertThat(messages.removePending("reg-1", message.msgId())).isTrue();
    assertThat(messages.removePending("reg-1", message.msgId())).isFalse();

    assertThat(messages.pending("reg-1", 10)).isEmpty();
    assertThat(messages.pending("reg-2", 10)).containsExactly(message.msgId());
  }

  @Test
  void expiredEntriesAreDroppedAndCountedAsExpired() {
    long now = System.currentTimeMillis();
    StoredMessage shortLived = message(now + 300);
    StoredMessage longLived = message(now + 60_000);
    messages.saveWithPending(shortLived, List.of("reg-1"));
    messages.saveWithPending(longLived, List.of("reg-1"));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> messages.pending("reg-1", 10).equals(List.of(longLived.msgId())));

    assertThat(stats.counters(shortLived.msgId()))
        .containsEntry(MessageStats.TARGETS, 1L)
        .containsEntry(MessageStats.EXPIRED, 1L);
    assertThat(stats.counters(longLived.msgId())).doesNotContainKey(MessageStats.EXPIRED);
    await().atMost(Duration.ofSeconds(5)).until(() -> messages.find(shortLived.msgId()).isEmpty());
    messages.pending("reg-1", 10);
    assertThat(stats.counters(shortLived.msgId())).containsEntry(MessageStats.EXPIRED, 1L);
  }

  @Test
  void findAllSkipsMissingMessages() {
    StoredMessage one = message(System.currentTimeMillis() + 60_000);
    StoredMessage two = message(System.currentTimeMillis() + 60_000);
    messages.saveWithPending(one, List.of("reg-1"));
    messages.saveWithPending(two, List.of("reg-1"));

    Map<String, StoredMessage> found = messages.findAll(List.of(one.msgId(), "missing", two.msgId()));

    assertThat(found).containsOnlyKeys(one.msgId(), two.msgId());
    assertThat(new String(found.get(two.msgId()).payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(messages.findAll(List.of())).isEmpty();
  }

  @Test
  void clearPendingDropsEverything() {
    messages.saveWithPending(message(System.currentTimeMillis() + 60_000), List.of("reg-1"));
    messages.saveWithPending(message(0), List.of("reg-1"));

    messages.clearPending("reg-1");

    assertThat(messages.pending("reg-1", 10)).isEmpty();
  }

  @Test
  void attemptsAreCountedPerPendingEntryAndGoWithIt() {
    StoredMessage message = message(System.currentTimeMillis() + 60_000);
    messages.saveWithPending(message, List.of("reg-1", "reg-2"));
    PendingEntry one = new PendingEntry("reg-1", message.msgId());
    PendingEntry two = new PendingEntry("reg-2", message.msgId());
    PendingEntry unknown = new PendingEntry("reg-1", MessageIds.next());

    assertThat(messages.countAttempts(List.of(one, two, unknown))).containsExactly(1, 1, 0);
    assertThat(messages.countAttempts(List.of(one))).containsExactly(2);

    assertThat(messages.removePending(List.of(one, one, unknown))).containsExactly(true, false, false);
    assertThat(messages.countAttempts(List.of(one, two))).containsExactly(0, 2);
    assertThat(redisson.getKeys().countExists(keyOfAttempts("reg-1"))).isZero();
  }

  private String keyOfAttempts(String regId) {
    return messagesKeys().attempts(regId);
  }

  private RedisKeys messagesKeys() {
    return new RedisKeys(prefix);
  }

  @Test
  void countersAddUp() {
    String msgId = MessageIds.next();

    stats.increment(msgId, MessageStats.SENT, 3);
    stats.increment(msgId, MessageStats.SENT, 2);
    stats.increment(msgId, MessageStats.DELIVERED, 1);

    assertThat(stats.counters(msgId))
        .containsExactlyInAnyOrderEntriesOf(Map.of(MessageStats.SENT, 5L, MessageStats.DELIVERED, 1L));
    assertThat(stats.counters("unknown")).isEmpty();
  }

  private static StoredMessage message(long expiresAtMs) {
    return message(System.currentTimeMillis(), expiresAtMs);
  }

  private static StoredMessage message(long createdAtMs, long expiresAtMs) {
    return new StoredMessage(
        MessageIds.next(),
        APP,
        "hello".getBytes(StandardCharsets.UTF_8),
        null,
        null,
        Map.of(),
        createdAtMs,
        expiresAtMs);
  }
}
