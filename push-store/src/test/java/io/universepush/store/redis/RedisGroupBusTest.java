package io.universepush.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.store.group.GroupMembershipChange;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RedisGroupBusTest extends RedisTestServer {

  @Test
  void subscribersReceiveEveryChangeWholeUntilTheyClose() throws Exception {
    RedisGroupBus bus = new RedisGroupBus(redisson, uniquePrefix());
    List<GroupMembershipChange> received = new CopyOnWriteArrayList<>();
    AutoCloseable subscription = bus.subscribe(received::add);

    GroupMembershipChange joined = new GroupMembershipChange("app1", "g1", Set.of("r1", "r2"), true, 41, "k3j9x0a2bq");
    bus.publish(joined);
    await().until(() -> received.size() == 1);
    assertThat(received.get(0)).isEqualTo(joined);

    subscription.close();
    List<GroupMembershipChange> later = new CopyOnWriteArrayList<>();
    try (AutoCloseable ignored = bus.subscribe(later::add)) {
      bus.publish(new GroupMembershipChange("app1", "g1", Set.of("r1"), false, 42, "k3j9x0a2bq"));
      await().until(() -> later.size() == 1);
    }
    assertThat(later.get(0).joined()).isFalse();
    assertThat(received).hasSize(1);
  }

  @Test
  void aFailingListenerKeepsItsSubscription() throws Exception {
    RedisGroupBus bus = new RedisGroupBus(redisson, uniquePrefix());
    List<String> seen = new CopyOnWriteArrayList<>();
    try (AutoCloseable ignored =
        bus.subscribe(
            change -> {
              seen.add(change.groupId());
              if (seen.size() == 1) {
                throw new IllegalStateException("boom");
              }
            })) {
      bus.publish(new GroupMembershipChange("a", "first", Set.of("r"), true, 0, ""));
      await().until(() -> seen.size() == 1);
      bus.publish(new GroupMembershipChange("a", "second", Set.of("r"), true, 0, ""));
      await().until(() -> seen.size() == 2);
    }
    assertThat(seen).containsExactly("first", "second");
  }
}
