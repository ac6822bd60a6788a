package io.universepush.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.connector.node.LocalNode;
import io.universepush.sdk.FanoutPosition;
import io.universepush.sdk.MemoryDedupStore;
import io.universepush.sdk.MemoryPositionStore;
import io.universepush.sdk.PushClient;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.fanout.FanoutBus;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.message.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fan-out that the live path loses: a node whose bus drops every third event it receives, and sessions whose window
 * and queue are tiny. Every device still gets every tag and app-wide push for it exactly once, in order, because a
 * session takes a live entry only in offset order and reads the log for anything else. A device away longer than the
 * log keeps entries is told so ({@code recovered = false}) and receives new fan-outs normally.
 */
@ExtendWith(ConnectorCluster.Extension.class)
class FanoutFaultsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static ConnectorCluster cluster;
  private static ConfigurableApplicationContext lossyNode;
  private static final AtomicInteger dropped = new AtomicInteger();
  /** Events the lossy node's listener was handed; every third one is dropped. */
  private static final AtomicInteger received = new AtomicInteger();

  @BeforeAll
  static void startLossyNode(ConnectorCluster shared) {
    cluster = shared;
    lossyNode =
        cluster.startExtraConnectorWith(
            "test-node-lossy",
            context -> context.getBeanFactory().addBeanPostProcessor(new DropEveryThirdEvent()),
            "--universe.push.connector.max-in-flight-per-session=2",
            "--universe.push.connector.max-queued-per-session=2");
  }

  @AfterAll
  static void stopLossyNode() {
    cluster.stopExtraConnector(lossyNode);
  }

  @Test
  void everyDeviceGetsEveryFanoutForItOnceAndInOrderThoughEventsAreDroppedAndSessionsAreFull() throws Exception {
    String appId = cluster.newApp();
    DeviceRegistration androidSports = cluster.newDevice(appId, "android", Set.of("sports"));
    DeviceRegistration iosSports = cluster.newDevice(appId, "ios", Set.of("sports"));
    DeviceRegistration androidPlain = cluster.newDevice(appId, "android", Set.of());
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    Recorder c = new Recorder();
    try (PushClient ca = connect(appId, androidSports, a, new MemoryPositionStore());
        PushClient cb = connect(appId, iosSports, b, new MemoryPositionStore());
        PushClient cc = connect(appId, androidPlain, c, new MemoryPositionStore())) {
      awaitRouted(androidSports, iosSports, androidPlain);
      received.set(0);
      dropped.set(0);

      List<String> all = new ArrayList<>();
      List<String> sports = new ArrayList<>();
      List<String> androidOnly = new ArrayList<>();
      // 61 events: the last is not one the node drops, so its offset tells every session how far the log goes.
      for (int i = 0; i < 61; i++) {
        FanoutEntry entry;
        switch (i % 3) {
          case 0 -> entry = publish(appId, Set.of("sports"), Set.of(), "{\"sports\":" + i + "}");
          case 1 -> entry = publish(appId, Set.of(), Set.of("android"), "{\"android\":" + i + "}");
          default -> entry = publish(appId, Set.of(), Set.of(), "{\"all\":" + i + "}");
        }
        all.add(entry.msgId());
        if (i % 3 != 1) {
          sports.add(entry.msgId());
        }
        if (i % 3 != 0) {
          androidOnly.add(entry.msgId());
        }
      }

      List<String> expectedA = all; // sports and android: every entry
      List<String> expectedB = sports; // ios with sports: sports and app-wide
      List<String> expectedC = androidOnly; // android without tags: android-only and app-wide
      await().atMost(WAIT).untilAsserted(() -> assertThat(a.msgIds()).containsExactlyElementsOf(expectedA));
      await().atMost(WAIT).untilAsserted(() -> assertThat(b.msgIds()).containsExactlyElementsOf(expectedB));
      await().atMost(WAIT).untilAsserted(() -> assertThat(c.msgIds()).containsExactlyElementsOf(expectedC));
      assertThat(dropped).hasValue(20);
      for (Recorder recorder : List.of(a, b, c)) {
        assertThat(recorder.offsets()).isSorted().doesNotHaveDuplicates();
        assertThat(recorder.lost).hasValue(0);
      }
    }
  }

  @Test
  void aDeviceAwayLongerThanTheLogKeepsEntriesIsToldSoAndThenReceivesNewFanouts() throws Exception {
    String appId = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(appId, "android", Set.of());
    MemoryPositionStore positions = new MemoryPositionStore();
    Recorder first = new Recorder();
    String seen;
    try (PushClient client = connect(appId, device, first, positions)) {
      awaitRouted(device);
      seen = publish(appId, Set.of(), Set.of(), "{\"n\":1}").msgId();
      await().atMost(WAIT).until(() -> first.msgIds().contains(seen));
      await()
          .atMost(WAIT)
          .until(() -> positionOf(positions, appId, device) != null && positionOf(positions, appId, device).offset() == 1);
    }
    await().atMost(WAIT).until(() -> cluster.stores().routes().find(device.device().regId()).isEmpty());

    // While it is away, more is appended than the log keeps: the entries right after its position are trimmed.
    for (int i = 2; i <= 5; i++) {
      publish(appId, Set.of(), Set.of(), "{\"n\":" + i + "}");
    }
    trimLogBefore(appId, 4);

    Recorder second = new Recorder();
    try (PushClient client = connect(appId, device, second, positions)) {
      await().atMost(WAIT).until(() -> second.lost.get() == 1);
      // Continued from the log's top: the trimmed entries and the ones still in the log before it are not replayed.
      String fresh = publish(appId, Set.of(), Set.of(), "{\"n\":6}").msgId();
      await().atMost(WAIT).untilAsserted(() -> assertThat(second.msgIds()).containsExactly(fresh));
      assertThat(positionOf(positions, appId, device).offset()).isEqualTo(6);
    }
  }

  @Test
  void aListenerThatThrowsGetsThePushAgainAndTheAppSeesItOnce() throws Exception {
    String appId = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(appId, "android", Set.of());
    AtomicInteger calls = new AtomicInteger();
    Recorder recorder =
        new Recorder() {
          @Override
          public void onMessage(PushMessage message) {
            if (calls.incrementAndGet() == 1) {
              throw new IllegalStateException("the app failed to handle it this time");
            }
            super.onMessage(message);
          }
        };
    // Waiting for the device when it connects: its pending set is read and the push written.
    StoredMessage message = cluster.storePending(appId, device.device().regId(), "{\"once\":true}");
    try (PushClient client = connect(appId, device, recorder, new MemoryPositionStore())) {
      await().atMost(WAIT).until(() -> recorder.msgIds().contains(message.msgId()));
      assertThat(calls).hasValue(2);
      assertThat(recorder.msgIds()).containsExactly(message.msgId());
      await()
          .atMost(WAIT)
          .until(() -> cluster.stores().messages().pending(device.device().regId(), 10).isEmpty());
    }
  }

  // ------------------------------------------------------------------ fixtures

  private static PushClient connect(
      String appId, DeviceRegistration device, Recorder recorder, MemoryPositionStore positions) {
    int port = lossyNode.getBean(LocalNode.class).address().tcpPort();
    PushClient client =
        PushClient.builder()
            .endpoint("127.0.0.1", port)
            .binding(appId, device.device().regId(), device.token())
            .platform(device.device().platform())
            .dedupStore(new MemoryDedupStore(1_000))
            .positionStore(positions)
            .reconnectBackoff(50, 500)
            .listener(recorder)
            .build();
    client.connect();
    await().atMost(WAIT).until(() -> recorder.connected.get() > 0);
    return client;
  }

  private static FanoutPosition positionOf(MemoryPositionStore positions, String appId, DeviceRegistration device) {
    return positions.position(appId, device.device().regId());
  }

  private static void awaitRouted(DeviceRegistration... devices) {
    String node = lossyNode.getBean(LocalNode.class).nodeId();
    for (DeviceRegistration device : devices) {
      await()
          .atMost(WAIT)
          .until(
              () ->
                  cluster.stores().routes().find(device.device().regId()).filter(r -> r.nodeId().equals(node))
                      .isPresent());
    }
  }

  /** As push-api does for a fan-out with a ttl: store the message, append to the log, publish. */
  private static FanoutEntry publish(String appId, Set<String> tags, Set<String> platforms, String payload) {
    StoredMessage message = ConnectorCluster.message(appId, payload, Duration.ofMinutes(5));
    cluster.stores().messages().saveWithPending(message, List.of());
    FanoutEntry entry =
        cluster.stores().fanoutLog().append(FanoutEntry.of(appId, message.msgId(), tags, platforms, message.expiresAtMs()));
    cluster.stores().fanoutBus().publish(new FanoutEvent(entry, message));
    return entry;
  }

  /** What the log's retention does to a device away too long: every entry before {@code offset} is gone. */
  private static void trimLogBefore(String appId, long offset) {
    cluster
        .stores()
        .redisson()
        .getScript(StringCodec.INSTANCE)
        .eval(
            RScript.Mode.READ_WRITE,
            "return redis.call('xtrim', KEYS[1], 'MINID', ARGV[1])",
            RScript.ReturnType.INTEGER,
            List.of(ConnectorCluster.KEY_PREFIX + "fanout:{" + appId + "}"),
            offset + "-0");
  }

  /** The app's view: each push it handled, the connections it saw, and whether it was told of a lost history. */
  private static class Recorder implements PushListener {
    private final Map<String, Long> received = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> duplicates = new CopyOnWriteArrayList<>();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();

    @Override
    public void onConnected(String nodeId) {
      connected.incrementAndGet();
    }

    @Override
    public void onMessage(PushMessage message) {
      if (received.putIfAbsent(message.msgId(), message.fanoutOffset()) != null) {
        duplicates.add(message.msgId());
      }
    }

    @Override
    public void onFanoutLost(String appId, String regId) {
      lost.incrementAndGet();
    }

    List<String> msgIds() {
      assertThat(duplicates).as("messages the app saw twice").isEmpty();
      synchronized (received) {
        return List.copyOf(received.keySet());
      }
    }

    List<Long> offsets() {
      synchronized (received) {
        return List.copyOf(received.values());
      }
    }
  }

  /** Wraps the node's fan-out bus so that its listener misses every third event, as a lossy pub/sub would. */
  private static final class DropEveryThirdEvent implements BeanPostProcessor {
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
      if (!(bean instanceof FanoutBus bus)) {
        return bean;
      }
      return new FanoutBus() {
        @Override
        public void publish(FanoutEvent event) {
          bus.publish(event);
        }

        @Override
        public AutoCloseable subscribe(Consumer<FanoutEvent> listener) {
          return bus.subscribe(
              event -> {
                if (received.incrementAndGet() % 3 == 0) {
                  dropped.incrementAndGet();
                } else {
                  listener.accept(event);
                }
              });
        }
      };
    }
  }
}
