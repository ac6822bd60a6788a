package io.universepush.connector.delivery;

import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.system.BlockingTasks;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.MessageStore;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What the store learns about a delivery: written to the wire (SENT) and reached the device (pending entry removed,
 * DELIVERED). The store calls block, so they run on the blocking pool.
 */
@Component
public class DeliveryReceipts {
  private final MessageStore messages;
  private final MessageStats stats;
  private final BlockingTasks blocking;
  private final ConnectorMetrics metrics;

  public DeliveryReceipts(
      MessageStore messages, MessageStats stats, BlockingTasks blocking, ConnectorMetrics metrics) {
    this.messages = messages;
    this.stats = stats;
    this.blocking = blocking;
    this.metrics = metrics;
  }

  /** A PUSH frame was written to the socket. */
  public void sent(String msgId) {
    blocking.submit("sent count of " + msgId, () -> stats.increment(msgId, MessageStats.SENT, 1));
  }

  /**
   * The device has the message (a version-3 ack, or a legacy write). Only the first receipt of a (device, message)
   * pair counts as delivered: a duplicate ack finds no pending entry.
   */
  public void delivered(String regId, String msgId) {
    delivered(List.of(new Receipt(regId, msgId)));
  }

  public void delivered(List<Receipt> receipts) {
    if (receipts.isEmpty()) {
      return;
    }
    metrics.delivered(receipts.size());
    blocking.submit(
        "delivery receipts",
        () -> {
          for (Receipt receipt : receipts) {
            if (messages.removePending(receipt.regId(), receipt.msgId())) {
              stats.increment(receipt.msgId(), MessageStats.DELIVERED, 1);
            }
          }
        });
  }

  /** One message that reached one device. */
  public record Receipt(String regId, String msgId) {}
}
