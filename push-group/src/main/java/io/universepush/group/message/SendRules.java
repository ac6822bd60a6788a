package io.universepush.group.message;

import io.universepush.group.limits.Limit;
import io.universepush.group.limits.RateLimiter;
import io.universepush.group.system.ApiException;
import io.universepush.group.system.GroupProperties;
import org.springframework.stereotype.Component;

/** What every send (group or single, HTTP or Dubbo) must respect: the message size, the ttl range, the app's rate. */
@Component
public class SendRules {
  private final GroupProperties properties;
  private final RateLimiter limiter;

  public SendRules(GroupProperties properties, RateLimiter limiter) {
    this.properties = properties;
    this.limiter = limiter;
  }

  /** The ttl to use (the default when null); refuses an empty or oversize payload or a ttl out of range. */
  public long check(byte[] payload, Long ttlSeconds) {
    if (payload == null || payload.length == 0) {
      throw ApiException.invalidField("message", "is required");
    }
    if (payload.length > properties.maxMessageBytes()) {
      throw ApiException.tooLarge("message", payload.length, properties.maxMessageBytes());
    }
    long ttl = ttlSeconds == null ? properties.defaultTtlSeconds() : ttlSeconds;
    if (ttl < 0 || ttl > properties.maxTtlSeconds()) {
      throw ApiException.invalidField("ttl", "must be between 0 and " + properties.maxTtlSeconds() + " seconds");
    }
    return ttl;
  }

  /** Takes a send from the app's bucket (after validation: a refused request costs nothing). */
  public void takeSend(String appId) {
    limiter.take(Limit.SEND, appId);
  }

  public long historyRetentionSeconds() {
    return properties.historyRetentionSeconds();
  }
}
