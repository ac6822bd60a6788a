package io.universepush.store.message;

import java.util.Map;

/** Per-message counters: targets, sent, delivered (acked), expired, ... */
public interface MessageStats {
  String TARGETS = "targets";
  String SENT = "sent";
  String DELIVERED = "delivered";
  String EXPIRED = "expired";
  String FAILED = "failed";

  void increment(String msgId, String counter, long delta);

  /** All counters of a message; empty when unknown or expired. */
  Map<String, Long> counters(String msgId);
}
