package io.universepush.api.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.universepush.api.cluster.ConnectorClient;
import io.universepush.api.cluster.ConnectorClient.NodeAddress;
import io.universepush.api.system.ApiProperties;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.rpc.connector.DeliveryResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Hands deliveries to the connector nodes that hold their devices.
 *
 * <p>Each node has a lane: a queue drained by at most one task at a time, so deliveries reach a node in the order
 * they were submitted (a burst of pushes to one device arrives in order), and whatever has queued up for a node
 * while its previous call was running goes out in one call of up to {@code batch-size} deliveries. Lanes of
 * different nodes run in parallel on a fixed pool of {@code delivery-threads}. At most {@code max-queued-deliveries}
 * wait at once; a push that finds no room within {@code queue-wait-millis} gives up on the fast path, leaving
 * durable messages pending for the device's next connect.
 *
 * <p>A failed call (node gone, timeout) fails the futures of its deliveries; their messages stay pending.
 */
@Component
public class DeliveryDispatcher implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(DeliveryDispatcher.class);
  /** Batches one lane sends before it yields its thread to other nodes' lanes. */
  private static final int BATCHES_PER_TURN = 8;

  private final ConnectorClient connectors;
  private final int batchSize;
  /** Deliveries queued together: a batch, unless the queue is smaller than that. */
  private final int chunkSize;
  private final long queueWaitMillis;
  private final Semaphore room;
  private final ExecutorService executor;
  private final Map<NodeAddress, Lane> lanes = new ConcurrentHashMap<>();
  private final Counter failedCalls;
  private final Counter failedDeliveries;
  private final Counter droppedForRoom;

  public DeliveryDispatcher(ConnectorClient connectors, ApiProperties properties, MeterRegistry meters) {
    ApiProperties.Push push = properties.push();
    this.connectors = connectors;
    this.batchSize = push.batchSize();
    this.chunkSize = Math.min(push.batchSize(), push.maxQueuedDeliveries());
    this.queueWaitMillis = push.queueWaitMillis();
    this.room = new Semaphore(push.maxQueuedDeliveries());
    // Unbounded task queue, yet bounded in practice: a lane has at most one task queued or running.
    this.executor =
        new ThreadPoolExecutor(
            push.deliveryThreads(),
            push.deliveryThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            threads("push-delivery-"));
    this.failedCalls = meters.counter("universe.push.api.connector.calls.failed");
    this.failedDeliveries = meters.counter("universe.push.api.deliveries.failed");
    this.droppedForRoom = meters.counter("universe.push.api.deliveries.dropped", "reason", "queue_full");
  }

  /**
   * Queues one delivery for the node. The future completes with the node's outcome, or exceptionally when the call
   * failed or there was no room.
   */
  public CompletableFuture<DeliveryOutcome> submit(NodeAddress node, Delivery delivery) {
    return submitAll(node, List.of(delivery)).get(0);
  }

  /**
   * Queues deliveries for one node together, so that they go out in as few calls as the batch size allows. The
   * futures are in the order of the deliveries.
   */
  public List<CompletableFuture<DeliveryOutcome>> submitAll(NodeAddress node, List<Delivery> deliveries) {
    List<CompletableFuture<DeliveryOutcome>> outcomes = new ArrayList<>(deliveries.size());
    Lane lane = lanes.computeIfAbsent(node, Lane::new);
    for (int from = 0; from < deliveries.size(); from += chunkSize) {
      List<Delivery> chunk = deliveries.subList(from, Math.min(deliveries.size(), from + chunkSize));
      List<Queued> queued = new ArrayList<>(chunk.size());
      chunk.forEach(d -> queued.add(new Queued(d, new CompletableFuture<>())));
      queued.forEach(q -> outcomes.add(q.outcome()));
      if (!reserveRoom(chunk.size())) {
        droppedForRoom.increment(chunk.size());
        DeliveryFailedException full = new DeliveryFailedException("delivery queue full");
        queued.forEach(q -> q.outcome().completeExceptionally(full));
        continue;
      }
      lane.addAll(queued);
    }
    return outcomes;
  }

  private boolean reserveRoom(int permits) {
    try {
      return room.tryAcquire(permits, queueWaitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void destroy() throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
  }

  private void send(NodeAddress node, List<Queued> batch) {
    List<DeliveryOutcome> outcomes = new ArrayList<>(batch.size());
    DeliveryFailedException failure = null;
    try {
      List<Delivery> deliveries = new ArrayList<>(batch.size());
      batch.forEach(q -> deliveries.add(q.delivery()));
      DeliveryReport report = connectors.deliver(node, deliveries);
      Map<String, DeliveryOutcome> reported = new HashMap<>();
      if (report != null && report.getResults() != null) {
        for (DeliveryResult result : report.getResults()) {
          reported.put(key(result.getMsgId(), result.getRegId()), result.getOutcome());
        }
      }
      for (Delivery d : deliveries) {
        // A node that does not report on a delivery did not write it: treat it as not there, still pending.
        DeliveryOutcome o = reported.get(key(d.getMsgId(), d.getRegId()));
        outcomes.add(o == null ? DeliveryOutcome.NOT_CONNECTED : o);
      }
    } catch (RuntimeException e) {
      failedCalls.increment();
      failedDeliveries.increment(batch.size());
      log.warn(
          "delivery of {} message(s) to connector {} failed, they stay pending: {}", batch.size(), node, e.toString());
      failure = new DeliveryFailedException("connector " + node + " failed: " + e.getMessage());
    } finally {
      // Room first: whoever waits on an outcome may queue more at once.
      room.release(batch.size());
    }
    for (int i = 0; i < batch.size(); i++) {
      if (failure != null) {
        batch.get(i).outcome().completeExceptionally(failure);
      } else {
        batch.get(i).outcome().complete(outcomes.get(i));
      }
    }
  }

  private static String key(String msgId, String regId) {
    return msgId + '\n' + regId;
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private record Queued(Delivery delivery, CompletableFuture<DeliveryOutcome> outcome) {}

  /** One node's queue and the flag that keeps at most one task draining it. */
  private final class Lane implements Runnable {
    private final NodeAddress node;
    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Lane(NodeAddress node) {
      this.node = node;
    }

    void addAll(List<Queued> queued) {
      queue.addAll(queued);
      scheduleIfIdle();
    }

    private void scheduleIfIdle() {
      if (scheduled.compareAndSet(false, true)) {
        try {
          executor.execute(this);
        } catch (RuntimeException e) {
          // Shutting down: nothing will drain this lane any more.
          scheduled.set(false);
          failAll(new DeliveryFailedException("push-api is shutting down"));
        }
      }
    }

    @Override
    public void run() {
      try {
        for (int turn = 0; turn < BATCHES_PER_TURN; turn++) {
          List<Queued> batch = drain();
          if (batch.isEmpty()) {
            break;
          }
          send(node, batch);
        }
      } finally {
        scheduled.set(false);
        // Deliveries added after the last drain but before the flag was cleared found the lane busy.
        if (!queue.isEmpty()) {
          scheduleIfIdle();
        }
      }
    }

    private List<Queued> drain() {
      List<Queued> batch = new ArrayList<>(Math.min(batchSize, 64));
      Queued next;
      while (batch.size() < batchSize && (next = queue.poll()) != null) {
        batch.add(next);
      }
      return batch;
    }

    private void failAll(DeliveryFailedException failure) {
      Queued next;
      while ((next = queue.poll()) != null) {
        next.outcome().completeExceptionally(failure);
        room.release();
      }
    }
  }

  /** A delivery that did not reach its node. */
  public static final class DeliveryFailedException extends RuntimeException {
    DeliveryFailedException(String message) {
      super(message, null, false, false);
    }
  }
}
