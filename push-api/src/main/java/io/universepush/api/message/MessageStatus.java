package io.universepush.api.message;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.universepush.api.message.MessageOwners.Owner;
import io.universepush.store.message.MessageStats;
import java.util.Map;

/**
 * Delivery counters of one message. {@code pending} = targets - delivered - expired: the devices that have not
 * acknowledged it yet and still may. Once a message with a ttl has expired nothing is pending any more: every
 * target that did not acknowledge counts as expired, whether or not a connector got to count it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MessageStatus(String msgId, long targets, long sent, long delivered, long pending, long expired) {

  static MessageStatus of(String msgId, Owner owner, Map<String, Long> counters, long nowMs) {
    long targets = counters.getOrDefault(MessageStats.TARGETS, 0L);
    long sent = counters.getOrDefault(MessageStats.SENT, 0L);
    long delivered = counters.getOrDefault(MessageStats.DELIVERED, 0L);
    long expired = counters.getOrDefault(MessageStats.EXPIRED, 0L);
    boolean pastExpiry = owner.expiresAtMs() > 0 && nowMs >= owner.expiresAtMs();
    if (pastExpiry) {
      expired = Math.max(expired, targets - delivered);
    } else if (owner.expiresAtMs() == 0 && owner.fanout()) {
      // An online-only fan-out reaches whoever a connector writes it to at once; the rest of the estimate is dropped.
      expired = Math.max(expired, targets - sent);
    }
    expired = Math.max(0, expired);
    return new MessageStatus(msgId, targets, sent, delivered, Math.max(0, targets - delivered - expired), expired);
  }
}
