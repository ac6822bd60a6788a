package io.universepush.connector.delivery;

import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.session.InFlightDelivery;
import io.universepush.connector.session.Session;
import io.universepush.connector.session.SessionRegistry;
import io.universepush.connector.wire.PushFrames;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryResult;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.PendingEntry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides, per delivery, what this node does with it, and hands the writable ones to their sessions' event loops.
 * The attempts of the writable persisted ones are counted in the store first, in one round trip for the batch, so
 * each PUSH carries its real attempt number. Returns without waiting for acks: they come later, through PUB_ACK.
 */
@Component
public class LocalDeliveries {
  private static final Logger log = LoggerFactory.getLogger(LocalDeliveries.class);

  private final SessionRegistry registry;
  private final DeliveryWriter writer;
  private final DeliveryReceipts receipts;
  private final MessageStore messages;
  private final RedeliveryPolicy policy;
  private final ConnectorMetrics metrics;

  public LocalDeliveries(
      SessionRegistry registry,
      DeliveryWriter writer,
      DeliveryReceipts receipts,
      MessageStore messages,
      RedeliveryPolicy policy,
      ConnectorMetrics metrics) {
    this.registry = registry;
    this.writer = writer;
    this.receipts = receipts;
    this.messages = messages;
    this.policy = policy;
    this.metrics = metrics;
  }

  /** One result per delivery, in the batch's order. */
  public List<DeliveryResult> deliver(List<Delivery> batch) {
    long now = System.currentTimeMillis();
    List<Delivery> accepted = new ArrayList<>(batch.size());
    List<DeliveryOutcome> outcomes = new ArrayList<>(batch.size());
    List<Session> sessions = new ArrayList<>(batch.size());
    for (Delivery delivery : batch) {
      if (delivery == null) {
        continue;
      }
      Session session = registry.find(delivery.getRegId() == null ? "" : delivery.getRegId());
      DeliveryOutcome outcome = decide(session, delivery, now);
      if (outcome == DeliveryOutcome.EXPIRED) {
        receipts.expired(delivery);
      }
      accepted.add(delivery);
      outcomes.add(outcome);
      sessions.add(session);
    }
    countAttempts(accepted, outcomes, sessions);
    List<DeliveryResult> results = new ArrayList<>(accepted.size());
    Map<Session, List<Delivery>> writable = new IdentityHashMap<>();
    for (int i = 0; i < accepted.size(); i++) {
      Delivery delivery = accepted.get(i);
      DeliveryOutcome outcome = outcomes.get(i);
      if (outcome == DeliveryOutcome.WRITTEN) {
        writable.computeIfAbsent(sessions.get(i), s -> new ArrayList<>()).add(delivery);
      }
      metrics.delivery(outcome);
      results.add(new DeliveryResult(delivery.getMsgId(), delivery.getRegId(), outcome));
    }
    writable.forEach(writer::submit);
    return results;
  }

  /**
   * Counts an attempt for each writable persisted delivery. One past max attempts is given up (REJECTED, counted
   * failed); one without a pending entry (acked elsewhere, or not stored) keeps the attempt it came with. Should the
   * store be unreachable, the deliveries are written with the attempt they came with rather than not at all.
   */
  private void countAttempts(List<Delivery> deliveries, List<DeliveryOutcome> outcomes, List<Session> sessions) {
    List<Integer> indexes = new ArrayList<>();
    List<PendingEntry> entries = new ArrayList<>();
    for (int i = 0; i < deliveries.size(); i++) {
      Delivery delivery = deliveries.get(i);
      if (outcomes.get(i) == DeliveryOutcome.WRITTEN
          && !sessions.get(i).isLegacy()
          && InFlightDelivery.isPersisted(delivery)) {
        indexes.add(i);
        entries.add(new PendingEntry(delivery.getRegId(), delivery.getMsgId()));
      }
    }
    if (entries.isEmpty()) {
      return;
    }
    List<Integer> attempts;
    try {
      attempts = messages.countAttempts(entries);
    } catch (RuntimeException e) {
      log.debug("attempts of {} deliveries not counted: {}", entries.size(), e.toString());
      return;
    }
    for (int k = 0; k < indexes.size(); k++) {
      int i = indexes.get(k);
      int attempt = attempts.get(k);
      Delivery delivery = deliveries.get(i);
      if (attempt == 0) {
        continue;
      }
      if (policy.exhausted(attempt)) {
        sessions.get(i).release(1);
        outcomes.set(i, DeliveryOutcome.REJECTED);
        receipts.failed(delivery, attempt - 1);
      } else {
        delivery.setAttempt(attempt);
      }
    }
  }

  /**
   * NOT_CONNECTED when no session here holds the device (for that app); EXPIRED past the message's expiry;
   * REJECTED when the connection's outbound buffer is over its high-water mark, the session has its maximum in
   * flight, or the payload does not fit a version-1 frame; otherwise WRITTEN, with one unit of capacity reserved.
   */
  static DeliveryOutcome decide(Session session, Delivery delivery, long nowMs) {
    if (session == null
        || !session.isOpen()
        || !session.holds(delivery.getRegId())
        || !sameApp(delivery.getAppId(), session.appOf(delivery.getRegId()))) {
      return DeliveryOutcome.NOT_CONNECTED;
    }
    if (delivery.getExpiresAtMs() > 0 && nowMs >= delivery.getExpiresAtMs()) {
      return DeliveryOutcome.EXPIRED;
    }
    if (!session.channel().isWritable() || !PushFrames.fits(session.version(), delivery)) {
      return DeliveryOutcome.REJECTED;
    }
    return session.tryReserve() ? DeliveryOutcome.WRITTEN : DeliveryOutcome.REJECTED;
  }

  private static boolean sameApp(String requested, String bound) {
    return requested == null || requested.isEmpty() || requested.equals(bound);
  }
}
