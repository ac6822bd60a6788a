package io.universepush.api.limits;

import io.github.bucket4j.Bandwidth;
import java.time.Duration;

/** The request rates push-api limits, each with its own bucket per key. */
public enum Limit {
  PUSH,
  REGISTRATION,
  READ,
  /** Keyed by client IP, not app: the app is what is being guessed. */
  FAILED_AUTH,
  /** Registration with the app id alone, per app. */
  OPEN_REGISTRATION,
  /** Registration with the app id alone, per client IP: one address cannot flood an app, or probe app ids. */
  OPEN_REGISTRATION_PER_IP;

  Bandwidth bandwidth(ApiLimits limits) {
    return switch (this) {
      case PUSH -> perSecond(limits.pushBurst(), limits.pushesPerSecond());
      case REGISTRATION -> perSecond(limits.registrationBurst(), limits.registrationsPerSecond());
      case READ -> perSecond(limits.readBurst(), limits.readsPerSecond());
      case FAILED_AUTH -> perMinute(limits.failedAuthBurst(), limits.failedAuthsPerMinute());
      case OPEN_REGISTRATION -> perSecond(limits.openRegistrationBurst(), limits.openRegistrationsPerSecond());
      case OPEN_REGISTRATION_PER_IP ->
          perMinute(limits.openRegistrationBurstPerIp(), limits.openRegistrationsPerMinutePerIp());
    };
  }

  private static Bandwidth perMinute(int burst, int rate) {
    return Bandwidth.builder().capacity(burst).refillGreedy(rate, Duration.ofMinutes(1)).build();
  }

  private static Bandwidth perSecond(int burst, int rate) {
    return Bandwidth.builder().capacity(burst).refillGreedy(rate, Duration.ofSeconds(1)).build();
  }
}
