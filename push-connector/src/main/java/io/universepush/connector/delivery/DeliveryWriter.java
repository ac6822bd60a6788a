package io.universepush.connector.delivery;

import io.netty.channel.Channel;
import io.universepush.connector.delivery.DeliveryReceipts.Receipt;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.session.InFlightDelivery;
import io.universepush.connector.session.Session;
import io.universepush.connector.wire.PushFrames;
import io.universepush.rpc.connector.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes pushes to a session and settles them: version-3 pushes stay in flight until the client acks them (and are
 * written again when the ack is late, see {@link Redeliveries}), legacy pushes count as delivered once written (legacy
 * clients never ack: at most once, as universe_push). A push whose message has expired is never written.
 */
@Component
public class DeliveryWriter {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWriter.class);

  private final DeliveryReceipts receipts;
  private final RedeliveryPolicy policy;
  private final ConnectorMetrics metrics;
  /** The redelivery check, run on a session's event loop when one of its pushes is due; set by {@link Redeliveries}. */
  private volatile Consumer<Session> onDue = session -> {};

  public DeliveryWriter(DeliveryReceipts receipts, RedeliveryPolicy policy, ConnectorMetrics metrics) {
    this.receipts = receipts;
    this.policy = policy;
    this.metrics = metrics;
  }

  void onRedeliveryDue(Consumer<Session> check) {
    this.onDue = check;
  }

  /** Hands the deliveries to the session's event loop. Each must hold a reservation ({@link Session#tryReserve}). */
  public void submit(Session session, List<Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    try {
      session.eventLoop().execute(() -> writeAll(session, deliveries));
    } catch (RejectedExecutionException e) {
      // The event loop is shutting down: the messages stay pending in the store.
      session.release(deliveries.size());
    }
  }

  /** Event loop only. Writes in order, flushes once. */
  void writeAll(Session session, List<Delivery> deliveries) {
    Channel channel = session.channel();
    long now = System.currentTimeMillis();
    boolean wrote = false;
    for (Delivery delivery : deliveries) {
      if (!channel.isActive() || !session.holds(delivery.getRegId())) {
        session.release(1);
        continue;
      }
      if (isExpired(delivery, now)) {
        session.release(1);
        receipts.expired(delivery);
        continue;
      }
      if (session.isLegacy()) {
        writeLegacy(session, delivery);
      } else if (!writeV3(session, delivery, now)) {
        continue;
      }
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  static boolean isExpired(Delivery delivery, long nowMs) {
    return delivery.getExpiresAtMs() > 0 && nowMs >= delivery.getExpiresAtMs();
  }

  private boolean writeV3(Session session, Delivery delivery, long now) {
    int attempt = Math.max(1, delivery.getAttempt());
    delivery.setAttempt(attempt);
    InFlightDelivery entry = session.inFlight().add(delivery, attempt, now + policy.delayMs(attempt));
    if (entry == null) {
      // Already written and awaiting its ack (a flush raced a direct delivery): the client has it.
      session.release(1);
      return false;
    }
    String msgId = delivery.getMsgId();
    boolean fanout = entry.isFanout();
    if (attempt > 1) {
      metrics.redelivery();
    }
    session
        .channel()
        .write(PushFrames.v3(delivery))
        .addListener(
            future -> {
              if (future.isSuccess()) {
                receipts.sent(msgId);
                if (fanout) {
                  metrics.fanoutWrite();
                }
              } else if (session.inFlight().remove(entry)) {
                session.release(1);
                log.debug("push {} to {} not written: {}", msgId, delivery.getRegId(), future.cause().toString());
              }
            });
    arm(session, entry.dueAtMs());
    return true;
  }

  /** Event loop only. Writes an in-flight push again as attempt {@code attempt}; the caller flushes. */
  void rewrite(Session session, InFlightDelivery entry, int attempt) {
    entry.written(attempt, System.currentTimeMillis() + policy.delayMs(attempt));
    metrics.redelivery();
    log.debug("redelivering {} to {}, attempt {}", entry.msgId(), entry.regId(), attempt);
    session.channel().write(PushFrames.v3(entry.delivery()));
    arm(session, entry.dueAtMs());
  }

  /** Event loop only. Makes sure the session's redelivery check runs by {@code dueAtMs}. */
  void arm(Session session, long dueAtMs) {
    if (dueAtMs == Long.MAX_VALUE || dueAtMs >= session.redeliveryAtMs() || !session.isOpen()) {
      return;
    }
    long delay = Math.max(0, dueAtMs - System.currentTimeMillis());
    ScheduledFuture<?> timer =
        session.eventLoop().schedule(() -> onDue.accept(session), delay, TimeUnit.MILLISECONDS);
    session.redeliveryTimer(timer, dueAtMs);
  }

  private void writeLegacy(Session session, Delivery delivery) {
    String msgId = delivery.getMsgId();
    String regId = delivery.getRegId();
    boolean fanout = InFlightDelivery.isFanout(delivery);
    boolean persisted = InFlightDelivery.isPersisted(delivery);
    session
        .channel()
        .write(PushFrames.legacy(session.version(), delivery))
        .addListener(
            future -> {
              session.release(1);
              if (future.isSuccess()) {
                receipts.sent(msgId);
                receipts.delivered(regId, msgId, persisted);
                if (fanout) {
                  metrics.fanoutWrite();
                }
              } else {
                log.debug("legacy push {} to {} not written: {}", msgId, regId, future.cause().toString());
              }
            });
  }

  /**
   * A version-3 PUB_ACK. Event loop only. Unknown ids (duplicates, strays) are ignored. When the session has nothing
   * in flight any more, {@code whenDrained} runs once the acked pending entries are gone from the store (on the
   * blocking pool or, without any, at once), so a flush that follows does not read them again.
   */
  public void acknowledge(Session session, List<String> msgIds, Runnable whenDrained) {
    List<Receipt> settled = new ArrayList<>(msgIds.size());
    for (String msgId : msgIds) {
      List<InFlightDelivery> entries = session.inFlight().acknowledge(msgId);
      if (entries.isEmpty()) {
        log.debug("ack for unknown message {} from {}", msgId, session.remoteAddress());
        continue;
      }
      session.release(entries.size());
      for (InFlightDelivery entry : entries) {
        settled.add(new Receipt(entry.regId(), msgId, entry.isPersisted()));
      }
    }
    receipts.delivered(settled, session.inFlight().isEmpty() ? whenDrained : null);
  }
}
