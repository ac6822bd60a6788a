package io.universepush.store.message;

import io.universepush.rpc.connector.AndroidOptions;
import io.universepush.rpc.connector.IosOptions;
import java.util.Map;

/** A push as stored once, whatever its number of targets. {@code ios} and {@code android} are null when absent. */
public record StoredMessage(
    String msgId,
    String appId,
    byte[] payload,
    String title,
    String alert,
    Map<String, String> extras,
    long createdAtMs,
    long expiresAtMs,
    IosOptions ios,
    AndroidOptions android) {

  public StoredMessage(
      String msgId,
      String appId,
      byte[] payload,
      String title,
      String alert,
      Map<String, String> extras,
      long createdAtMs,
      long expiresAtMs) {
    this(msgId, appId, payload, title, alert, extras, createdAtMs, expiresAtMs, null, null);
  }

  public boolean isExpired(long nowMs) {
    return expiresAtMs > 0 && nowMs >= expiresAtMs;
  }
}
