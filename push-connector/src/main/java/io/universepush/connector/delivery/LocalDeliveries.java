package io.universepush.connector.delivery;

import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.session.Session;
import io.universepush.connector.session.SessionRegistry;
import io.universepush.connector.wire.PushFrames;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryResult;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Decides, per delivery, what this node does with it, and hands the writable ones to their sessions' event loops.
 * Returns at once: acks come later, through PUB_ACK.
 */
@Component
public class LocalDeliveries {
  private final SessionRegistry registry;
  private final DeliveryWriter writer;
  private final ConnectorMetrics metrics;

  public LocalDeliveries(SessionRegistry registry, DeliveryWriter writer, ConnectorMetrics metrics) {
    this.registry = registry;
    this.writer = writer;
    this.metrics = metrics;
  }

  /** One result per delivery, in the batch's order. */
  public List<DeliveryResult> deliver(List<Delivery> batch) {
    long now = System.currentTimeMillis();
    List<DeliveryResult> results = new ArrayList<>(batch.size());
    Map<Session, List<Delivery>> writable = new IdentityHashMap<>();
    for (Delivery delivery : batch) {
      if (delivery == null) {
        continue;
      }
      Session session = registry.find(delivery.getRegId() == null ? "" : delivery.getRegId());
      DeliveryOutcome outcome = decide(session, delivery, now);
      if (outcome == DeliveryOutcome.WRITTEN) {
        writable.computeIfAbsent(session, s -> new ArrayList<>()).add(delivery);
      }
      metrics.delivery(outcome);
      results.add(new DeliveryResult(delivery.getMsgId(), delivery.getRegId(), outcome));
    }
    writable.forEach(writer::submit);
    return results;
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
