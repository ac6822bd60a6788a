package io.universepush.store.message;

import java.util.Map;

/** A push as stored once, whatever its number of targets. */
public record StoredMessage(
    String msgId,
    String appId,
    byte[] payload,
    String title,
    String alert,
    Map<String, String> extras,
    long createdAtMs,
    long expiresAtMs) {

  public boolean isExpired(long nowMs) {
    return expiresAtMs > 0 && nowMs >= expiresAtMs;
  }
}
