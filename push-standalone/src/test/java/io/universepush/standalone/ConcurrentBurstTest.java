package io.universepush.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.sdk.PushClient;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pushes from many app-server threads at once to one connected device: every one arrives, once, on the same
 * connection. What the device's window cannot take at once waits on the server and is written as acks come; nothing
 * waits for a reconnect.
 */
class ConcurrentBurstTest {
  private static final int PUSHES = 2_000;
  private static final int SENDERS = 32;

  @ParameterizedTest(name = "max-in-flight-per-session {0}")
  @ValueSource(ints = {256, 4})
  void everyPushFromThirtyTwoSendersArrivesOnceWithoutAReconnect(int maxInFlight) throws Exception {
    ClusterHttp http = new ClusterHttp();
    try (LocalCluster cluster =
        LocalCluster.start(
            ClusterPorts.random(),
            List.of(
                "--dubbo.service.shutdown.wait=1000",
                "--universe.push.connector.max-in-flight-per-session=" + maxInFlight,
                "--universe.push.api.limits.pushes-per-second=100000",
                "--universe.push.api.limits.push-burst=100000"))) {
      TestApp app = TestApp.create(cluster, http, "burst");
      JsonNode device = app.registerDevice("android");
      String regId = device.get("reg_id").asText();
      CountingListener listener = new CountingListener();
      try (PushClient client = app.connect(device, listener, cluster.ports().connectorTcp())) {
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.connections.get() == 1);

        List<String> accepted = pushConcurrently(app, regId);

        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> listener.received.keySet().containsAll(accepted));
        assertThat(listener.received).hasSize(PUSHES);
        assertThat(listener.received.values()).allMatch(count -> count.get() == 1);
        assertThat(listener.connections).hasValue(1);
        assertThat(listener.disconnections).hasValue(0);
      }
    }
  }

  private static List<String> pushConcurrently(TestApp app, String regId) throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    try {
      List<Future<List<String>>> sent = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        int sender = s;
        sent.add(
            senders.submit(
                () -> {
                  List<String> msgIds = new ArrayList<>();
                  for (int i = sender; i < PUSHES; i += SENDERS) {
                    ClusterHttp.Reply reply =
                        app.push("{\"reg_ids\":[\"" + regId + "\"]}", "{\"n\":" + i + "}", 600);
                    assertThat(reply.status()).as("push %d", i).isEqualTo(200);
                    msgIds.add(reply.body().get("msg_id").asText());
                  }
                  return msgIds;
                }));
      }
      List<String> accepted = new ArrayList<>(PUSHES);
      for (Future<List<String>> future : sent) {
        accepted.addAll(future.get());
      }
      assertThat(new HashSet<>(accepted)).hasSize(PUSHES);
      return accepted;
    } finally {
      senders.shutdownNow();
    }
  }

  /** Counts what the app sees, per message id, and the connection's ups and downs. */
  private static final class CountingListener implements PushListener {
    final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger disconnections = new AtomicInteger();
    final Set<String> reasons = ConcurrentHashMap.newKeySet();

    @Override
    public void onConnected(String nodeId) {
      connections.incrementAndGet();
    }

    @Override
    public void onDisconnected(String reason) {
      reasons.add(reason);
      disconnections.incrementAndGet();
    }

    @Override
    public void onMessage(PushMessage message) {
      received.computeIfAbsent(message.msgId(), id -> new AtomicInteger()).incrementAndGet();
    }
  }
}
