package io.universepush.connector.system;

import io.universepush.connector.metrics.ConnectorMetrics;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A small bounded pool for the blocking calls a connection needs (Dubbo to push-subscribe and to other connectors,
 * Redis through the stores). Event loops must never block: one slow call would stall every connection of that loop.
 * Bounded so an outage of Redis or push-subscribe turns into refused handshakes instead of unbounded memory.
 */
@Component
public class BlockingTasks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BlockingTasks.class);

  private final ThreadPoolExecutor executor;

  @org.springframework.beans.factory.annotation.Autowired
  public BlockingTasks(ConnectorProperties properties, ConnectorMetrics metrics) {
    this(properties.blockingThreads(), properties.blockingQueueCapacity(), metrics);
  }

  public BlockingTasks(int threadCount, int queueCapacity, ConnectorMetrics metrics) {
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory threads =
        task -> {
          Thread thread = new Thread(task, "connector-blocking-" + counter.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    this.executor =
        new ThreadPoolExecutor(
            threadCount,
            threadCount,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            threads,
            new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
    metrics.gauge("push.connector.blocking.queued", "Store and Dubbo calls waiting for a thread", this::queued);
  }

  /** Runs the task on a pool thread. False when the pool is saturated or shut down: the caller degrades. */
  public boolean submit(String what, Runnable task) {
    try {
      executor.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              log.warn("{} failed: {}", what, e.toString());
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      log.warn("{} refused: blocking pool saturated or stopped", what);
      return false;
    }
  }

  /** How many threads the pool runs. */
  public int threads() {
    return executor.getMaximumPoolSize();
  }

  public int queued() {
    return executor.getQueue().size();
  }

  /** Lets queued work (route removals at shutdown) finish for a moment, then stops. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }
}
