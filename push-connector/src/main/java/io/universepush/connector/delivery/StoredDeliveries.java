package io.universepush.connector.delivery;

import io.universepush.connector.wire.FanoutContent;
import io.universepush.rpc.connector.Delivery;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.PendingEntry;
import io.universepush.store.message.StoredMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Reads a device's pending set as deliveries: oldest first, each one's attempt counted in the store before it is
 * written (so the PUSH carries the real attempt number), a message past max attempts given up and one whose message
 * expired settled as expired instead. Blocking: the blocking pool only.
 */
@Component
public class StoredDeliveries {
  /** Pages of one read that yielded nothing to write (every message expired or given up) before it returns. */
  private static final int MAX_EMPTY_ROUNDS = 8;

  private final MessageStore messages;
  private final DeliveryReceipts receipts;
  private final int maxAttempts;
  private final Clock clock;

  public StoredDeliveries(
      MessageStore messages,
      DeliveryReceipts receipts,
      io.universepush.connector.session.RedeliveryPolicy policy,
      Clock clock) {
    this.messages = messages;
    this.receipts = receipts;
    this.maxAttempts = policy.maxAttempts();
    this.clock = clock;
  }

  /** Deliveries to write, and whether the set holds more than the limit let through. */
  public record Page(List<Delivery> deliveries, boolean more) {}

  /** At most {@code limit} deliveries from the device's pending set, leaving out {@code skip}. */
  public Page pending(String regId, int limit, Set<String> skip) {
    for (int round = 0; round < MAX_EMPTY_ROUNDS; round++) {
      List<String> read = messages.pending(regId, limit + skip.size());
      boolean capped = read.size() >= limit + skip.size();
      List<String> ids = new ArrayList<>(Math.min(read.size(), limit));
      for (String msgId : read) {
        if (ids.size() < limit && !skip.contains(msgId)) {
          ids.add(msgId);
        }
      }
      List<Delivery> deliveries = deliverable(regId, ids);
      if (!deliveries.isEmpty() || !capped || ids.isEmpty()) {
        return new Page(deliveries, capped);
      }
    }
    return new Page(List.of(), true);
  }

  private List<Delivery> deliverable(String regId, List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
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
    long now = clock.millis();
    List<Delivery> deliveries = new ArrayList<>(entries.size());
    List<Delivery> expired = new ArrayList<>();
    List<Delivery> failed = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      StoredMessage message = found.get(entries.get(i).msgId());
      Delivery delivery = toDelivery(message, regId);
      int attempt = attempts.get(i);
      if (attempt == 0) {
        continue; // acked (or given up) since the pending set was read
      }
      if (message.isExpired(now)) {
        expired.add(delivery);
      } else if (attempt > maxAttempts) {
        failed.add(delivery);
      } else {
        delivery.setAttempt(attempt);
        deliveries.add(delivery);
      }
    }
    receipts.expiredNow(expired);
    receipts.failedNow(failed, maxAttempts);
    return deliveries;
  }

  /** A stored message as a delivery to one device (attempt 1). */
  public static Delivery toDelivery(StoredMessage message, String regId) {
    Delivery delivery = new Delivery();
    fill(delivery, message, regId);
    return delivery;
  }

  private static void fill(Delivery delivery, StoredMessage message, String regId) {
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
  }

  /** A tag or app-wide message as the one content every session of its audience shares (no reg id). */
  public static Delivery fanoutContent(StoredMessage message) {
    FanoutContent content = new FanoutContent();
    fill(content, message, null);
    return content;
  }

  /** As {@link #fanoutContent(StoredMessage)}, naming the group and sender of a group message. */
  public static Delivery fanoutContent(StoredMessage message, FanoutEntry entry) {
    FanoutContent content = new FanoutContent(entry.groupId(), entry.sender());
    fill(content, message, null);
    return content;
  }

  public static Delivery copy(Delivery source) {
    Delivery copy = new Delivery();
    copy.setMsgId(source.getMsgId());
    copy.setAppId(source.getAppId());
    copy.setRegId(source.getRegId());
    copy.setPayload(source.getPayload());
    copy.setTitle(source.getTitle());
    copy.setAlert(source.getAlert());
    copy.setExtras(source.getExtras());
    copy.setExpiresAtMs(source.getExpiresAtMs());
    copy.setSentAtMs(source.getSentAtMs());
    copy.setIos(source.getIos());
    copy.setAndroid(source.getAndroid());
    copy.setAttempt(source.getAttempt());
    copy.setFanout(source.isFanout());
    return copy;
  }
}
