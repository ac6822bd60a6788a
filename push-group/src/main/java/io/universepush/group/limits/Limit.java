package io.universepush.group.limits;

import io.github.bucket4j.Bandwidth;
import java.time.Duration;

/** The request rates push-group limits, each with its own bucket per key. */
public enum Limit {
  SEND,
  WRITE,
  READ,
  /** Keyed by client IP, not app: the app is what is being guessed. */
  FAILED_AUTH;

  Bandwidth bandwidth(GroupLimits limits) {
    return switch (this) {
      case SEND -> perSecond(limits.sendBurst(), limits.sendsPerSecond());
      case WRITE -> perSecond(limits.writeBurst(), limits.writesPerSecond());
      case READ -> perSecond(limits.readBurst(), limits.readsPerSecond());
      case FAILED_AUTH ->
          Bandwidth.builder()
              .capacity(limits.failedAuthBurst())
              .refillGreedy(limits.failedAuthsPerMinute(), Duration.ofMinutes(1))
              .build();
    };
  }

  private static Bandwidth perSecond(int burst, int rate) {
    return Bandwidth.builder().capacity(burst).refillGreedy(rate, Duration.ofSeconds(1)).build();
  }

  String refusal() {
    return switch (this) {
      case SEND -> "too many sends";
      case WRITE -> "too many group changes";
      case READ -> "too many reads";
      case FAILED_AUTH -> "too many failed authentications from this address";
    };
  }
}
