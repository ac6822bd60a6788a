package io.universepush.connector.delivery;

import io.universepush.connector.connection.DeviceConnection;
import io.universepush.connector.connection.SessionRegistry;
import io.universepush.connector.connection.SessionRegistry.LocalBinding;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.session.RedeliveryPolicy;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryResult;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.PendingEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Unicast deliveries asked of this node (Dubbo threads): each one for a device bound here is handed to its
 * connection's session, which queues it and writes it as its window allows; the answer does not wait for the write or
 * the ack. The attempts of persisted ones are counted in the store first, in one round trip for the batch, so each
 * PUSH carries its real attempt number and one past max attempts is given up instead.
 */
@Component
public class LocalDeliveries {
  private static final Logger log = LoggerFactory.getLogger(LocalDeliveries.class);

  private final SessionRegistry registry;
  private final DeliveryReceipts receipts;
  private final MessageStore messages;
  private final RedeliveryPolicy policy;
  private final ConnectorMetrics metrics;
  private final Clock clock;

  public LocalDeliveries(
      SessionRegistry registry,
      DeliveryReceipts receipts,
      MessageStore messages,
      RedeliveryPolicy policy,
      ConnectorMetrics metrics,
      Clock clock) {
    this.registry = registry;
    this.receipts = receipts;
    this.messages = messages;
    this.policy = policy;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * One result per delivery, in the batch's order: NOT_CONNECTED when no connection here holds the device (for that
   * app), EXPIRED past the message's expiry, REJECTED when given up after max attempts, else WRITTEN: accepted by the
   * device's session, which writes it as soon as its window and socket allow.
   */
  public List<DeliveryResult> deliver(List<Delivery> batch) {
    long now = clock.millis();
    List<Delivery> accepted = new ArrayList<>(batch.size());
    List<DeliveryOutcome> outcomes = new ArrayList<>(batch.size());
    List<DeviceConnection> connections = new ArrayList<>(batch.size());
    for (Delivery delivery : batch) {
      if (delivery == null) {
        continue;
      }
      LocalBinding binding = registry.find(delivery.getRegId() == null ? "" : delivery.getRegId());
      DeliveryOutcome outcome;
      if (binding == null || !binding.connection().isActive() || !sameApp(delivery.getAppId(), binding.appId())) {
        outcome = DeliveryOutcome.NOT_CONNECTED;
      } else if (delivery.getExpiresAtMs() > 0 && now >= delivery.getExpiresAtMs()) {
        outcome = DeliveryOutcome.EXPIRED;
        receipts.expired(delivery);
      } else {
        outcome = DeliveryOutcome.WRITTEN;
      }
      delivery.setFanout(false);
      accepted.add(delivery);
      outcomes.add(outcome);
      connections.add(binding == null ? null : binding.connection());
    }
    countAttempts(accepted, outcomes);
    List<DeliveryResult> results = new ArrayList<>(accepted.size());
    Map<DeviceConnection, List<Delivery>> offered = new IdentityHashMap<>();
    for (int i = 0; i < accepted.size(); i++) {
      Delivery delivery = accepted.get(i);
      DeliveryOutcome outcome = outcomes.get(i);
      if (outcome == DeliveryOutcome.WRITTEN) {
        offered.computeIfAbsent(connections.get(i), c -> new ArrayList<>()).add(delivery);
      }
      metrics.delivery(outcome);
      results.add(new DeliveryResult(delivery.getMsgId(), delivery.getRegId(), outcome));
    }
    offered.forEach((connection, deliveries) -> connection.execute(session -> session.offer(deliveries)));
    return results;
  }

  /**
   * Counts an attempt for each accepted persisted delivery. One past max attempts is given up (REJECTED, counted
   * failed); one without a pending entry (acked elsewhere, or not stored) keeps the attempt it came with. Should the
   * store be unreachable, the deliveries go with the attempt they came with rather than not at all.
   */
  private void countAttempts(List<Delivery> deliveries, List<DeliveryOutcome> outcomes) {
    List<Integer> indexes = new ArrayList<>();
    List<PendingEntry> entries = new ArrayList<>();
    for (int i = 0; i < deliveries.size(); i++) {
      Delivery delivery = deliveries.get(i);
      if (outcomes.get(i) == DeliveryOutcome.WRITTEN && DeliveryReceipts.isPersisted(delivery)) {
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
        outcomes.set(i, DeliveryOutcome.REJECTED);
        receipts.failed(delivery, attempt - 1);
      } else {
        delivery.setAttempt(attempt);
      }
    }
  }

  private static boolean sameApp(String requested, String bound) {
    return requested == null || requested.isEmpty() || requested.equals(bound);
  }
}
