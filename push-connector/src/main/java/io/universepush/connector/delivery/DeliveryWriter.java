package io.universepush.connector.delivery;

import io.netty.channel.Channel;
import io.universepush.connector.delivery.DeliveryReceipts.Receipt;
import io.universepush.connector.session.Session;
import io.universepush.connector.wire.PushFrames;
import io.universepush.rpc.connector.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes pushes to a session and settles them: version-3 pushes stay in flight until the client acks them, legacy
 * pushes count as delivered once written (legacy clients never ack: at most once, as universe_push).
 */
@Component
public class DeliveryWriter {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWriter.class);

  private final DeliveryReceipts receipts;

  public DeliveryWriter(DeliveryReceipts receipts) {
    this.receipts = receipts;
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
    boolean wrote = false;
    for (Delivery delivery : deliveries) {
      if (!channel.isActive() || !session.holds(delivery.getRegId())) {
        session.release(1);
        continue;
      }
      if (session.isLegacy()) {
        writeLegacy(session, delivery);
      } else if (!writeV3(session, delivery)) {
        continue;
      }
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  private boolean writeV3(Session session, Delivery delivery) {
    String msgId = delivery.getMsgId();
    String regId = delivery.getRegId();
    if (!session.inFlight().add(msgId, regId)) {
      // Already written and awaiting its ack (a flush raced a direct delivery): the client has it.
      session.release(1);
      return false;
    }
    session
        .channel()
        .write(PushFrames.v3(delivery))
        .addListener(
            future -> {
              if (future.isSuccess()) {
                receipts.sent(msgId);
              } else if (session.inFlight().remove(msgId, regId)) {
                session.release(1);
                log.debug("push {} to {} not written: {}", msgId, regId, future.cause().toString());
              }
            });
    return true;
  }

  private void writeLegacy(Session session, Delivery delivery) {
    String msgId = delivery.getMsgId();
    String regId = delivery.getRegId();
    session
        .channel()
        .write(PushFrames.legacy(session.version(), delivery))
        .addListener(
            future -> {
              session.release(1);
              if (future.isSuccess()) {
                receipts.sent(msgId);
                receipts.delivered(regId, msgId);
              } else {
                log.debug("legacy push {} to {} not written: {}", msgId, regId, future.cause().toString());
              }
            });
  }

  /**
   * A version-3 PUB_ACK. Event loop only. Unknown ids (duplicates, strays) are ignored. Returns true when the
   * session has nothing in flight any more.
   */
  public boolean acknowledge(Session session, List<String> msgIds) {
    List<Receipt> settled = new ArrayList<>(msgIds.size());
    for (String msgId : msgIds) {
      List<String> regIds = session.inFlight().acknowledge(msgId);
      if (regIds.isEmpty()) {
        log.debug("ack for unknown message {} from {}", msgId, session.remoteAddress());
        continue;
      }
      session.release(regIds.size());
      for (String regId : regIds) {
        settled.add(new Receipt(regId, msgId));
      }
    }
    receipts.delivered(settled);
    return session.inFlight().isEmpty();
  }
}
