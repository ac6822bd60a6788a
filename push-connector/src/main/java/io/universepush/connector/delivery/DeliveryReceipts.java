package io.universepush.connector.delivery;

import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.system.BlockingTasks;
import io.universepush.rpc.connector.Delivery;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.PendingEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the store learns about a delivery: written to the wire (SENT), reached the device (pending entry removed,
 * DELIVERED), dropped unwritten past its expiry (EXPIRED) or given up after max attempts (FAILED). A pending entry is
 * removed once, so a message is counted delivered, expired or failed once per device; pushes without one (fan-out,
 * online-only) are counted once per connection that settles them. The store calls block, so they run on the blocking
 * pool; plain counter increments are coalesced per message so a burst costs a few round trips, not one per push.
 */
@Component
public class DeliveryReceipts {
  private static final Logger log = LoggerFactory.getLogger(DeliveryReceipts.class);

  private final MessageStore messages;
  private final MessageStats stats;
  private final BlockingTasks blocking;
  private final ConnectorMetrics metrics;
  private final Map<Count, Long> counts = new ConcurrentHashMap<>();
  private final AtomicBoolean drainQueued = new AtomicBoolean();

  public DeliveryReceipts(
      MessageStore messages, MessageStats stats, BlockingTasks blocking, ConnectorMetrics metrics) {
    this.messages = messages;
    this.stats = stats;
    this.blocking = blocking;
    this.metrics = metrics;
  }

  /** A PUSH frame was written to the socket (first write only: redeliveries are not counted again). */
  public void sent(String msgId) {
    count(msgId, MessageStats.SENT);
  }

  /**
   * The device has the message (a version-3 ack, or a legacy write). A persisted push counts as delivered only with
   * its pending entry's removal, so a duplicate ack (or an ack on a second connection) is not counted again.
   */
  public void delivered(String regId, String msgId, boolean persisted) {
    delivered(List.of(new Receipt(regId, msgId, persisted)), null);
  }

  /** As {@link #delivered(String, String, boolean)} for several; {@code then} runs once the pending entries are gone. */
  public void delivered(List<Receipt> receipts, Runnable then) {
    if (receipts.isEmpty()) {
      if (then != null) {
        then.run();
      }
      return;
    }
    metrics.delivered(receipts.size());
    List<PendingEntry> entries = new ArrayList<>(receipts.size());
    for (Receipt receipt : receipts) {
      if (receipt.persisted()) {
        entries.add(new PendingEntry(receipt.regId(), receipt.msgId()));
      } else {
        count(receipt.msgId(), MessageStats.DELIVERED);
      }
    }
    if (entries.isEmpty()) {
      if (then != null) {
        then.run();
      }
      return;
    }
    boolean queued =
        blocking.submit(
            "delivery receipts",
            () -> {
              try {
                List<Boolean> removed = messages.removePending(entries);
                for (int i = 0; i < removed.size(); i++) {
                  if (removed.get(i)) {
                    count(entries.get(i).msgId(), MessageStats.DELIVERED);
                  }
                }
              } finally {
                if (then != null) {
                  then.run();
                }
              }
            });
    if (!queued && then != null) {
      then.run();
    }
  }

  /** The push was not written because its message expired: its pending entry goes, counted expired once. */
  public void expired(Delivery delivery) {
    metrics.expired();
    log.debug("push {} to {} expired unwritten", delivery.getMsgId(), delivery.getRegId());
    if (isPersisted(delivery)) {
      settle(delivery, MessageStats.EXPIRED);
    }
  }

  /** The push was written max-attempts times without an ack: given up, its pending entry removed. */
  public void failed(Delivery delivery, int attempts) {
    metrics.failed();
    log.info(
        "push {} to {} failed: no ack after {} attempt(s)", delivery.getMsgId(), delivery.getRegId(), attempts);
    if (isPersisted(delivery)) {
      settle(delivery, MessageStats.FAILED);
    } else {
      count(delivery.getMsgId(), MessageStats.FAILED);
    }
  }

  /** Blocking, from the blocking pool: as {@link #expired} for several, settled when this returns. */
  void expiredNow(List<Delivery> deliveries) {
    for (Delivery delivery : deliveries) {
      metrics.expired();
      log.debug("push {} to {} expired unwritten", delivery.getMsgId(), delivery.getRegId());
    }
    settleNow(deliveries, MessageStats.EXPIRED);
  }

  /** Blocking, from the blocking pool: as {@link #failed} for several persisted pushes, settled when this returns. */
  void failedNow(List<Delivery> deliveries, int attempts) {
    for (Delivery delivery : deliveries) {
      metrics.failed();
      log.info(
          "push {} to {} failed: no ack after {} attempt(s)", delivery.getMsgId(), delivery.getRegId(), attempts);
    }
    settleNow(deliveries, MessageStats.FAILED);
  }

  private void settleNow(List<Delivery> deliveries, String counter) {
    if (deliveries.isEmpty()) {
      return;
    }
    List<PendingEntry> entries = new ArrayList<>(deliveries.size());
    for (Delivery delivery : deliveries) {
      entries.add(new PendingEntry(delivery.getRegId(), delivery.getMsgId()));
    }
    List<Boolean> removed = messages.removePending(entries);
    for (int i = 0; i < removed.size(); i++) {
      if (removed.get(i)) {
        count(entries.get(i).msgId(), counter);
      }
    }
  }

  private void settle(Delivery delivery, String counter) {
    String regId = delivery.getRegId();
    String msgId = delivery.getMsgId();
    blocking.submit(
        counter + " receipt of " + msgId,
        () -> {
          if (messages.removePending(regId, msgId)) {
            stats.increment(msgId, counter, 1);
          }
        });
  }

  private void count(String msgId, String counter) {
    if (msgId == null) {
      return;
    }
    counts.merge(new Count(msgId, counter), 1L, Long::sum);
    if (drainQueued.compareAndSet(false, true) && !blocking.submit("message counters", this::drain)) {
      drainQueued.set(false);
    }
  }

  private void drain() {
    drainQueued.set(false);
    for (Count key : List.copyOf(counts.keySet())) {
      Long delta = counts.remove(key);
      if (delta != null) {
        stats.increment(key.msgId(), key.counter(), delta);
      }
    }
  }

  /** A unicast push with a ttl: it has a pending entry for the device. */
  static boolean isPersisted(Delivery delivery) {
    return !delivery.isFanout() && delivery.getExpiresAtMs() > 0;
  }

  /** One message that reached one device; {@code persisted}: it has a pending entry to remove. */
  public record Receipt(String regId, String msgId, boolean persisted) {}

  private record Count(String msgId, String counter) {}
}
