package io.universepush.connector.connection;

import io.universepush.connector.system.BlockingTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns many requests of the same kind (CONNECT checks, legacy SUBs, route writes) into few batch calls, so that a
 * reconnect storm costs one Dubbo round trip and one pipelined Redis batch per few hundred devices instead of one of
 * each per device. No timer: a request goes into a queue and at most {@code maxDrainers} pool tasks take whatever
 * has gathered there (up to {@code maxBatch} at a time). When the node is quiet a request is its own batch and waits
 * for nothing; in a storm the queue fills while the previous batch is in flight, and batches grow by themselves.
 *
 * @param <I> one request
 * @param <O> its answer; the batch call returns one per request, in order
 */
final class Coalescer<I, O> {
  private static final Logger log = LoggerFactory.getLogger(Coalescer.class);

  private record Waiting<I, O>(I request, Consumer<O> onAnswer, Runnable onFailure) {}

  private final String what;
  private final BlockingTasks blocking;
  private final int maxBatch;
  private final int maxDrainers;
  private final Function<List<I>, List<O>> call;
  private final Queue<Waiting<I, O>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger drainers = new AtomicInteger();

  /**
   * @param call blocking; one answer per request in order. Throwing fails the whole batch ({@code onFailure} of each).
   */
  Coalescer(String what, BlockingTasks blocking, int maxBatch, int maxDrainers, Function<List<I>, List<O>> call) {
    this.what = what;
    this.blocking = blocking;
    this.maxBatch = maxBatch;
    this.maxDrainers = maxDrainers;
    this.call = call;
  }

  /**
   * Queues a request. {@code onAnswer} or {@code onFailure} runs once, on a pool thread (or on the caller's when the
   * pool cannot take the work).
   */
  void submit(I request, Consumer<O> onAnswer, Runnable onFailure) {
    queue.add(new Waiting<>(request, onAnswer, onFailure));
    startDrainer();
  }

  private void startDrainer() {
    while (true) {
      int running = drainers.get();
      if (running >= maxDrainers || queue.isEmpty()) {
        return;
      }
      if (drainers.compareAndSet(running, running + 1)) {
        break;
      }
    }
    if (!blocking.submit(what, this::drain)) {
      drainers.decrementAndGet();
      if (drainers.get() == 0) {
        // Nothing else will take them: the pool is saturated or stopped, so they fail now (the session retries).
        failAll();
      }
    }
  }

  private void drain() {
    try {
      List<Waiting<I, O>> batch = new ArrayList<>();
      while (true) {
        batch.clear();
        Waiting<I, O> next;
        while (batch.size() < maxBatch && (next = queue.poll()) != null) {
          batch.add(next);
        }
        if (batch.isEmpty()) {
          return;
        }
        runBatch(batch);
      }
    } finally {
      drainers.decrementAndGet();
      // A request queued after this drainer's last poll but before its exit found it still counted: pick it up.
      startDrainer();
    }
  }

  private void runBatch(List<Waiting<I, O>> batch) {
    List<I> requests = new ArrayList<>(batch.size());
    for (Waiting<I, O> waiting : batch) {
      requests.add(waiting.request());
    }
    List<O> answers;
    try {
      answers = call.apply(requests);
      if (answers == null || answers.size() != requests.size()) {
        throw new IllegalStateException(
            (answers == null ? "no" : answers.size()) + " answers for " + requests.size() + " requests");
      }
    } catch (RuntimeException e) {
      log.warn("{} of {} failed: {}", what, requests.size(), e.toString());
      batch.forEach(waiting -> waiting.onFailure().run());
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).onAnswer().accept(answers.get(i));
    }
  }

  private void failAll() {
    Waiting<I, O> waiting;
    while ((waiting = queue.poll()) != null) {
      waiting.onFailure().run();
    }
  }
}
