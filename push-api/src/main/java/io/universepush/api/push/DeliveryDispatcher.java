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
import io.universepush.store.node.ConnectorNode;
import io.universepush.store.node.NodeDirectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
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
 * Hands deliveries to the connector nodes that hold their devices, each node on its own bounds so that one slow or
 * dead node never delays deliveries to the others.
 *
 * <p>Each node has a lane: a queue of at most {@code max-queued-deliveries}, drained by at most one task at a time,
 * so deliveries reach a node in the order they were submitted (a burst of pushes to one device arrives in order), and
 * whatever has queued up for a node while its previous call was running goes out in one call of up to {@code
 * batch-size} deliveries, aimed at that node, lasting at most {@code call-timeout-millis}. Lanes of different nodes
 * run in parallel, each on a thread of its own while it has work ({@code delivery-threads} are kept ready): a node
 * that stops answering holds its own lane, never another's.
 *
 * <p>A node that has left the node directory (dead, or shut down) is not called: its deliveries are answered {@code
 * NOT_CONNECTED} at once, and their messages stay pending for the device's next connect, wherever it reconnects. A push
 * that finds its node's lane full waits up to {@code queue-wait-millis} for room, unless the node's last call failed,
 * then gives up at once; either way durable messages stay pending.
 *
 * <p>A failed call (timeout, connection refused) fails the futures of its deliveries; their messages stay pending.
 */
@Component
public class DeliveryDispatcher implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(DeliveryDispatcher.class);
  /** Batches one lane sends before it yields its thread to other nodes' lanes. */
  private static final int BATCHES_PER_TURN = 8;

  private final ConnectorClient connectors;
  private final NodeDirectory directory;
  private final int batchSize;
  private final int maxQueuedPerNode;
  /** Deliveries queued together: a batch, unless the queue is smaller than that. */
  private final int chunkSize;
  private final long queueWaitMillis;
  private final int callTimeoutMillis;
  private final ExecutorService executor;
  private final Map<NodeAddress, Lane> lanes = new ConcurrentHashMap<>();
  private final Counter failedCalls;
  private final Counter failedDeliveries;
  private final Counter droppedForRoom;
  private final Counter skippedNodeGone;

  public DeliveryDispatcher(
      ConnectorClient connectors, NodeDirectory directory, ApiProperties properties, MeterRegistry meters) {
    ApiProperties.Push push = properties.push();
    this.connectors = connectors;
    this.directory = directory;
    this.batchSize = push.batchSize();
    this.maxQueuedPerNode = push.maxQueuedDeliveries();
    this.chunkSize = Math.min(push.batchSize(), push.maxQueuedDeliveries());
    this.queueWaitMillis = push.queueWaitMillis();
    this.callTimeoutMillis = push.callTimeoutMillis();
    // No task queue: a lane has at most one task queued or running, so the threads never outnumber the nodes being
    // called at once, and a lane never waits behind another node's call for a thread.
    this.executor =
        new ThreadPoolExecutor(
            push.deliveryThreads(),
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            threads("push-delivery-"));
    this.failedCalls = meters.counter("universe.push.api.connector.calls.failed");
    this.failedDeliveries = meters.counter("universe.push.api.deliveries.failed");
    this.droppedForRoom = meters.counter("universe.push.api.deliveries.dropped", "reason", "queue_full");
    this.skippedNodeGone = meters.counter("universe.push.api.deliveries.dropped", "reason", "node_gone");
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
   * futures are in the order of the deliveries. A node gone from the directory is not called: its deliveries are
   * {@code NOT_CONNECTED} at once.
   */
  public List<CompletableFuture<DeliveryOutcome>> submitAll(NodeAddress node, List<Delivery> deliveries) {
    List<CompletableFuture<DeliveryOutcome>> outcomes = new ArrayList<>(deliveries.size());
    if (!isLive(node)) {
      skippedNodeGone.increment(deliveries.size());
      Lane gone = lanes.remove(node);
      if (gone != null) {
        gone.failAll(new DeliveryFailedException("connector " + node + " left the cluster"));
      }
      log.debug("connector {} is not in the node directory: {} delivery(ies) stay pending", node, deliveries.size());
      deliveries.forEach(d -> outcomes.add(CompletableFuture.completedFuture(DeliveryOutcome.NOT_CONNECTED)));
      return outcomes;
    }
    Lane lane = lanes.computeIfAbsent(node, Lane::new);
    for (int from = 0; from < deliveries.size(); from += chunkSize) {
      List<Delivery> chunk = deliveries.subList(from, Math.min(deliveries.size(), from + chunkSize));
      List<Queued> queued = new ArrayList<>(chunk.size());
      chunk.forEach(d -> queued.add(new Queued(d, new CompletableFuture<>())));
      queued.forEach(q -> outcomes.add(q.outcome()));
      if (!lane.reserveRoom(chunk.size())) {
        droppedForRoom.increment(chunk.size());
        DeliveryFailedException full = new DeliveryFailedException("delivery queue of connector " + node + " full");
        queued.forEach(q -> q.outcome().completeExceptionally(full));
        continue;
      }
      lane.addAll(queued);
    }
    return outcomes;
  }

  /** In the directory under its id with the same Dubbo port (a node restarted on another port is another node). */
  private boolean isLive(NodeAddress node) {
    if (node.nodeId() == null) {
      return true;
    }
    try {
      return directory.find(node.nodeId()).map(ConnectorNode::dubboPort).filter(p -> p == node.port()).isPresent();
    } catch (RuntimeException e) {
      // The directory unreadable says nothing about the node: try it, the call timeout bounds the cost.
      return true;
    }
  }

  @Override
  public void destroy() throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
  }

  /** One call for the batch; true when it answered. */
  private boolean send(Lane lane, List<Queued> batch) {
    NodeAddress node = lane.node;
    List<DeliveryOutcome> outcomes = new ArrayList<>(batch.size());
    DeliveryFailedException failure = null;
    try {
      List<Delivery> deliveries = new ArrayList<>(batch.size());
      batch.forEach(q -> deliveries.add(q.delivery()));
      DeliveryReport report = connectors.deliver(node, deliveries, callTimeoutMillis);
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
      lane.room.release(batch.size());
    }
    for (int i = 0; i < batch.size(); i++) {
      if (failure != null) {
        batch.get(i).outcome().completeExceptionally(failure);
      } else {
        batch.get(i).outcome().complete(outcomes.get(i));
      }
    }
    return failure == null;
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

  /** One node's bounded queue and the flag that keeps at most one task draining it. */
  private final class Lane implements Runnable {
    private final NodeAddress node;
    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Semaphore room = new Semaphore(maxQueuedPerNode);
    /** The last call failed (timed out, refused): pushes do not wait for this node's room. */
    private volatile boolean failing;

    Lane(NodeAddress node) {
      this.node = node;
    }

    boolean reserveRoom(int permits) {
      if (room.tryAcquire(permits)) {
        return true;
      }
      if (failing || queueWaitMillis == 0) {
        return false;
      }
      try {
        return room.tryAcquire(permits, queueWaitMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
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
          failing = !send(this, batch);
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
