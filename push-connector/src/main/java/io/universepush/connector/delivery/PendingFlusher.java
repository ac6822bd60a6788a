package io.universepush.connector.delivery;

import io.universepush.connector.session.Session;
import io.universepush.connector.system.BlockingTasks;
import io.universepush.rpc.connector.Delivery;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.StoredMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends a device the messages that waited for it (its pending set), oldest first, as many as the session has
 * capacity for; the rest follow when acks free capacity ({@link Session#takeMorePending()}).
 */
@Component
public class PendingFlusher {
  private static final Logger log = LoggerFactory.getLogger(PendingFlusher.class);

  private final MessageStore messages;
  private final DeliveryWriter writer;
  private final BlockingTasks blocking;

  public PendingFlusher(MessageStore messages, DeliveryWriter writer, BlockingTasks blocking) {
    this.messages = messages;
    this.writer = writer;
    this.blocking = blocking;
  }

  /** Flushes on the blocking pool. */
  public void flushLater(Session session, String regId) {
    blocking.submit("pending flush of " + regId, () -> flushNow(session, regId));
  }

  /** Blocking: reads the store. Call from the blocking pool. */
  public void flushNow(Session session, String regId) {
    if (!session.isOpen() || !session.holds(regId)) {
      return;
    }
    int capacity = session.freeCapacity();
    if (capacity == 0) {
      session.markMorePending(regId);
      return;
    }
    List<String> ids = messages.pending(regId, capacity);
    if (ids.isEmpty()) {
      return;
    }
    Map<String, StoredMessage> found = messages.findAll(ids);
    List<Delivery> deliveries = new ArrayList<>(ids.size());
    boolean capped = ids.size() >= capacity;
    for (String msgId : ids) {
      StoredMessage message = found.get(msgId);
      if (message == null) {
        // The message expired between the two reads (or was never fully stored): nothing to deliver any more.
        messages.removePending(regId, msgId);
        continue;
      }
      if (!session.tryReserve()) {
        capped = true;
        break;
      }
      deliveries.add(toDelivery(message, regId));
    }
    if (capped) {
      session.markMorePending(regId);
    }
    log.debug("flushing {} pending message(s) to {}", deliveries.size(), regId);
    writer.submit(session, deliveries);
  }

  static Delivery toDelivery(StoredMessage message, String regId) {
    Delivery delivery = new Delivery();
    delivery.setMsgId(message.msgId());
    delivery.setAppId(message.appId());
    delivery.setRegId(regId);
    delivery.setPayload(message.payload());
    delivery.setTitle(message.title());
    delivery.setAlert(message.alert());
    delivery.setExtras(message.extras() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(message.extras()));
    delivery.setExpiresAtMs(message.expiresAtMs());
    delivery.setSentAtMs(message.createdAtMs());
    // The store does not know whether an earlier connection already got it; the client de-duplicates by msg_id.
    delivery.setAttempt(1);
    return delivery;
  }
}
