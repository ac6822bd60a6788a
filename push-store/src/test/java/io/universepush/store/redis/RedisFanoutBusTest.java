package io.universepush.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.rpc.connector.AndroidOptions;
import io.universepush.rpc.connector.IosOptions;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.message.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RedisFanoutBusTest extends RedisTestServer {

  private static FanoutEvent event(String msgId) {
    StoredMessage message =
        new StoredMessage(
            msgId,
            "app1",
            "{\"k\":1}".getBytes(StandardCharsets.UTF_8),
            "title",
            "alert",
            Map.of("a", "b"),
            1000,
            2000,
            new IosOptions("ding", 3, true, Map.of("i", "j")),
            new AndroidOptions(Map.of("x", "y")));
    return new FanoutEvent(
        new FanoutEntry(5, "k3j9x0a2bq", "app1", msgId, Set.of("news"), Set.of("ios"), 2000, 1500), message);
  }

  @Test
  void subscribersReceiveEveryPublishedEventWholeUntilTheyClose() throws Exception {
    RedisFanoutBus bus = new RedisFanoutBus(redisson, uniquePrefix());
    List<FanoutEvent> received = new CopyOnWriteArrayList<>();
    AutoCloseable subscription = bus.subscribe(received::add);

    FanoutEvent sent = event("m1");
    bus.publish(sent);

    await().until(() -> received.size() == 1);
    FanoutEvent got = received.get(0);
    assertThat(got.entry()).isEqualTo(sent.entry());
    assertThat(got.message())
        .usingRecursiveComparison()
        .isEqualTo(sent.message());

    subscription.close();
    // A second subscriber on the same topic seeing the next event proves it went out after the first had closed.
    List<FanoutEvent> later = new CopyOnWriteArrayList<>();
    try (AutoCloseable ignored = bus.subscribe(later::add)) {
      bus.publish(event("m2"));
      await().until(() -> later.size() == 1);
    }
    assertThat(received).hasSize(1);
  }

  @Test
  void aFailingListenerKeepsItsSubscription() throws Exception {
    RedisFanoutBus bus = new RedisFanoutBus(redisson, uniquePrefix());
    List<String> seen = new CopyOnWriteArrayList<>();
    try (AutoCloseable ignored =
        bus.subscribe(
            e -> {
              seen.add(e.message().msgId());
              if (seen.size() == 1) {
                throw new IllegalStateException("boom");
              }
            })) {
      bus.publish(event("first"));
      await().until(() -> seen.size() == 1);
      bus.publish(event("second"));
      await().until(() -> seen.size() == 2);
    }
    assertThat(seen).containsExactly("first", "second");
  }
}
