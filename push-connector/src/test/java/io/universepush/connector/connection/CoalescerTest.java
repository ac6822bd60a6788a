package io.universepush.connector.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.system.BlockingTasks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoalescerTest {
  private final BlockingTasks blocking = new BlockingTasks(4, 100, new ConnectorMetrics(new SimpleMeterRegistry()));

  @AfterEach
  void stop() {
    blocking.close();
  }

  @Test
  void requestsGatheredWhileABatchRunsGoInTheNextOneAndEachGetsItsOwnAnswer() throws InterruptedException {
    CountDownLatch firstCallRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    Coalescer<Integer, String> coalescer =
        new Coalescer<>(
            "test",
            blocking,
            50,
            1,
            requests -> {
              batchSizes.add(requests.size());
              firstCallRunning.countDown();
              waitFor(release);
              return requests.stream().map(i -> "answer-" + i).toList();
            });
    Map<Integer, String> answers = new ConcurrentHashMap<>();

    coalescer.submit(0, answer -> answers.put(0, answer), () -> {});
    assertThat(firstCallRunning.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 120; i++) {
      int request = i;
      coalescer.submit(request, answer -> answers.put(request, answer), () -> {});
    }
    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> answers.size() == 121);
    assertThat(answers).containsEntry(0, "answer-0").containsEntry(77, "answer-77").containsEntry(120, "answer-120");
    // One alone (the node was quiet), then the 120 that waited meanwhile, in batches of at most 50.
    assertThat(batchSizes).containsExactly(1, 50, 50, 20);
  }

  @Test
  void aFailedBatchFailsEachOfItsRequestsAndTheNextBatchStillRuns() {
    AtomicInteger calls = new AtomicInteger();
    Coalescer<String, String> coalescer =
        new Coalescer<>(
            "test",
            blocking,
            10,
            2,
            requests -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("store down");
              }
              return requests;
            });
    AtomicInteger failed = new AtomicInteger();
    List<String> answered = new CopyOnWriteArrayList<>();

    coalescer.submit("a", answered::add, failed::incrementAndGet);
    await().atMost(Duration.ofSeconds(5)).until(() -> failed.get() == 1);
    coalescer.submit("b", answered::add, failed::incrementAndGet);

    await().atMost(Duration.ofSeconds(5)).until(() -> answered.contains("b"));
    assertThat(failed).hasValue(1);
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
