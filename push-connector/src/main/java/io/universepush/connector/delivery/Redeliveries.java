package io.universepush.connector.delivery;

import io.universepush.connector.session.InFlightDelivery;
import io.universepush.connector.session.Session;
import io.universepush.connector.system.BlockingTasks;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.PendingEntry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes unacknowledged version-3 pushes again on the same connection once they are due ({@link RedeliveryPolicy}).
 * One timer per session at most, on its event loop, armed for the earliest due push. A persisted push's attempt is
 * counted in the store first (so attempts add up across connections, and a push acked elsewhere meanwhile is not
 * written again); fan-out and online-only pushes count their attempts in the connection. Past max attempts the push
 * is given up (FAILED); past its expiry it is dropped (EXPIRED).
 */
@Component
public class Redeliveries {
  private static final Logger log = LoggerFactory.getLogger(Redeliveries.class);

  private final DeliveryWriter writer;
  private final DeliveryReceipts receipts;
  private final MessageStore messages;
  private final BlockingTasks blocking;
  private final RedeliveryPolicy policy;
  private final PendingFlusher flusher;

  public Redeliveries(
      DeliveryWriter writer,
      DeliveryReceipts receipts,
      MessageStore messages,
      BlockingTasks blocking,
      RedeliveryPolicy policy,
      PendingFlusher flusher) {
    this.flusher = flusher;
    this.writer = writer;
    this.receipts = receipts;
    this.messages = messages;
    this.blocking = blocking;
    this.policy = policy;
    writer.onRedeliveryDue(this::due);
  }

  /** Event loop: the session's timer fired. */
  void due(Session session) {
    session.redeliveryTimer(null, 0);
    if (!session.isOpen()) {
      return;
    }
    long now = System.currentTimeMillis();
    List<InFlightDelivery> toCount = new ArrayList<>();
    boolean wrote = false;
    for (InFlightDelivery entry : session.inFlight().due(now)) {
      if (!session.holds(entry.regId())) {
        // Unbound here (logout, takeover): its pending entry stays for the device's next connection.
        forget(session, entry);
      } else if (DeliveryWriter.isExpired(entry.delivery(), now)) {
        forget(session, entry);
        receipts.expired(entry.delivery());
      } else if (entry.isPersisted()) {
        entry.redelivering(true);
        toCount.add(entry);
      } else if (policy.exhausted(entry.attempt() + 1)) {
        forget(session, entry);
        receipts.failed(entry.delivery(), entry.attempt());
      } else {
        writer.rewrite(session, entry, entry.attempt() + 1);
        wrote = true;
      }
    }
    if (wrote) {
      session.channel().flush();
    }
    if (!toCount.isEmpty()) {
      countThenRedeliver(session, toCount);
    }
    afterRound(session);
  }

  /** Re-arms the timer; when pushes were given up and nothing is in flight, the next pending page follows. */
  private void afterRound(Session session) {
    writer.arm(session, session.inFlight().nextDueAtMs());
    if (session.inFlight().isEmpty()) {
      for (String regId : session.takeMorePending()) {
        flusher.flushLater(session, regId);
      }
    }
  }

  private void countThenRedeliver(Session session, List<InFlightDelivery> entries) {
    List<PendingEntry> pending = new ArrayList<>(entries.size());
    for (InFlightDelivery entry : entries) {
      pending.add(new PendingEntry(entry.regId(), entry.msgId()));
    }
    boolean queued =
        blocking.submit(
            "redelivery attempts",
            () -> {
              List<Integer> attempts;
              try {
                attempts = messages.countAttempts(pending);
              } catch (RuntimeException e) {
                log.debug("attempts of {} redeliveries not counted: {}", entries.size(), e.toString());
                attempts = null;
              }
              List<Integer> counted = attempts;
              session.eventLoop().execute(() -> redeliver(session, entries, counted));
            });
    if (!queued) {
      redeliver(session, entries, null);
    }
  }

  /** Event loop. {@code attempts} null: the store could not count them; they are tried again a timeout later. */
  private void redeliver(Session session, List<InFlightDelivery> entries, List<Integer> attempts) {
    long now = System.currentTimeMillis();
    boolean wrote = false;
    for (int i = 0; i < entries.size(); i++) {
      InFlightDelivery entry = entries.get(i);
      if (!session.inFlight().contains(entry)) {
        continue; // acked meanwhile
      }
      if (attempts == null) {
        entry.postpone(now + policy.delayMs(1));
        continue;
      }
      int attempt = attempts.get(i);
      if (attempt == 0) {
        // No pending entry any more: acked on another connection, given up or expired elsewhere.
        forget(session, entry);
      } else if (policy.exhausted(attempt)) {
        forget(session, entry);
        receipts.failed(entry.delivery(), attempt - 1);
      } else if (!session.isOpen() || !session.holds(entry.regId())) {
        forget(session, entry);
      } else {
        writer.rewrite(session, entry, attempt);
        wrote = true;
      }
    }
    if (wrote) {
      session.channel().flush();
    }
    afterRound(session);
  }

  private static void forget(Session session, InFlightDelivery entry) {
    if (session.inFlight().remove(entry)) {
      session.release(1);
    }
  }
}
