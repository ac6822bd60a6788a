package io.universepush.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedeliveryPolicyTest {
  private final RedeliveryPolicy policy =
      new RedeliveryPolicy(Duration.ofSeconds(30), Duration.ofMinutes(3), 5);

  @Test
  void theWaitDoublesWithEachAttemptUpToTheCap() {
    assertThat(policy.delayMs(1)).isEqualTo(30_000);
    assertThat(policy.delayMs(2)).isEqualTo(60_000);
    assertThat(policy.delayMs(3)).isEqualTo(120_000);
    assertThat(policy.delayMs(4)).isEqualTo(180_000);
    assertThat(policy.delayMs(1_000)).isEqualTo(180_000);
  }

  @Test
  void attemptsBeyondTheMaximumAreExhausted() {
    assertThat(policy.exhausted(5)).isFalse();
    assertThat(policy.exhausted(6)).isTrue();
  }
}
