package io.universepush.connector.delivery;

import io.universepush.connector.session.Session;
import io.universepush.connector.system.BlockingTasks;
import io.universepush.rpc.connector.Delivery;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.PendingEntry;
import io.universepush.store.message.StoredMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends a device the messages that waited for it: its pending set, oldest first, then (version 3) the fan-out log
 * after its cursor ({@link FanoutCatchUp}), as many as the session has capacity for; the rest follow when acks free
 * capacity ({@link Session#takeMorePending()}). Each pending message's attempt is counted in the store before it is
 * written, so the PUSH carries the real attempt number and a message past max attempts is given up instead.
 */
@Component
public class PendingFlusher {
  private static final Logger log = LoggerFactory.getLogger(PendingFlusher.class);

  private final MessageStore messages;
  private final DeliveryWriter writer;
  private final DeliveryReceipts receipts;
  private final RedeliveryPolicy policy;
  private final FanoutCatchUp catchUp;
  private final BlockingTasks blocking;

  public PendingFlusher(
      MessageStore messages,
      DeliveryWriter writer,
      DeliveryReceipts receipts,
      RedeliveryPolicy policy,
      FanoutCatchUp catchUp,
      BlockingTasks blocking) {
    this.messages = messages;
    this.writer = writer;
    this.receipts = receipts;
    this.policy = policy;
    this.catchUp = catchUp;
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
    if (flushPending(session, regId) && session.catchUpCursor(regId) != null) {
      catchUp.replay(session, regId);
    }
  }

  /** Rounds of one flush that wrote nothing (every message read was expired or given up) before it waits. */
  private static final int MAX_EMPTY_ROUNDS = 8;

  /** The pending set; true when it is drained (nothing left that capacity kept back). */
  private boolean flushPending(Session session, String regId) {
    for (int round = 0; round < MAX_EMPTY_ROUNDS; round++) {
      Boolean drained = flushPendingOnce(session, regId);
      if (drained != null) {
        return drained;
      }
    }
    session.markMorePending(regId);
    return false;
  }

  /**
   * One page of the pending set. True: drained; false: more left for when capacity frees up; null: more left but
   * nothing of this page was written (so no ack will come to trigger the next page): read the next one now.
   */
  private Boolean flushPendingOnce(Session session, String regId) {
    int capacity = session.freeCapacity();
    if (capacity == 0) {
      session.markMorePending(regId);
      return false;
    }
    // Pushes of this set still in flight here are skipped (not counted as another attempt): read past them.
    int inFlight = session.inFlight().size();
    List<String> read = messages.pending(regId, capacity + inFlight);
    List<String> ids = new ArrayList<>(Math.min(read.size(), capacity));
    for (String msgId : read) {
      if (ids.size() < capacity && !session.inFlight().holds(msgId, regId)) {
        ids.add(msgId);
      }
    }
    if (read.size() < capacity + inFlight && ids.isEmpty()) {
      return true;
    }
    if (ids.isEmpty()) {
      session.markMorePending(regId);
      return false;
    }
    Map<String, StoredMessage> found = messages.findAll(ids);
    List<PendingEntry> entries = new ArrayList<>(found.size());
    for (String msgId : ids) {
      if (found.containsKey(msgId)) {
        entries.add(new PendingEntry(regId, msgId));
      } else {
        // The message expired between the two reads (or was never fully stored): nothing to deliver any more.
        messages.removePending(regId, msgId);
      }
    }
    List<Integer> attempts = messages.countAttempts(entries);
    long now = System.currentTimeMillis();
    List<Delivery> deliveries = new ArrayList<>(entries.size());
    List<Delivery> expired = new ArrayList<>();
    List<Delivery> failed = new ArrayList<>();
    boolean capped = read.size() >= capacity + inFlight;
    for (int i = 0; i < entries.size(); i++) {
      StoredMessage message = found.get(entries.get(i).msgId());
      Delivery delivery = toDelivery(message, regId);
      int attempt = attempts.get(i);
      if (attempt == 0) {
        continue; // acked (or given up) since the pending set was read
      }
      if (message.isExpired(now)) {
        expired.add(delivery);
        continue;
      }
      if (policy.exhausted(attempt)) {
        failed.add(delivery);
        continue;
      }
      if (!session.tryReserve()) {
        capped = true;
        break;
      }
      delivery.setAttempt(attempt);
      deliveries.add(delivery);
    }
    // Settled before the next page is read, so it does not read them again.
    receipts.expiredNow(expired);
    receipts.failedNow(failed, policy.maxAttempts());
    log.debug("flushing {} pending message(s) to {}", deliveries.size(), regId);
    writer.submit(session, deliveries);
    if (!capped) {
      return true;
    }
    if (deliveries.isEmpty()) {
      return null;
    }
    session.markMorePending(regId);
    return false;
  }

  /** A stored message as a delivery to one device (attempt 1, no fan-out id: callers set those). */
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
    delivery.setIos(message.ios());
    delivery.setAndroid(message.android());
    delivery.setAttempt(1);
    return delivery;
  }
}
