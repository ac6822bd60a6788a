package io.universepush.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeartbeatPolicyTest {
  private final HeartbeatPolicy policy =
      new HeartbeatPolicy(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofMinutes(10));

  @Test
  void versionThreeIntervalsAreClampedAndZeroMeansTheDefault() {
    assertThat(policy.v3Interval(0)).isEqualTo(60_000);
    assertThat(policy.v3Interval(1_000)).isEqualTo(10_000);
    assertThat(policy.v3Interval(45_000)).isEqualTo(45_000);
    assertThat(policy.v3Interval(3_600_000)).isEqualTo(600_000);
  }

  @Test
  void versionThreeIdleTimeoutIsOneAndAHalfIntervalsPlusTenSeconds() {
    assertThat(policy.v3IdleTimeout(60_000)).isEqualTo(100_000);
    assertThat(policy.v3IdleTimeout(10_000)).isEqualTo(25_000);
  }

  @Test
  void legacyIdleTimeoutIsTheIntervalPlusOneMinuteAsUniversePush() {
    assertThat(policy.legacyIdleTimeout(HeartbeatPolicy.LEGACY_DEFAULT_INTERVAL_MS)).isEqualTo(120_000);
    assertThat(policy.legacyIdleTimeout(30_000)).isEqualTo(90_000);
  }

  @Test
  void legacyIntervalKeepsTheCurrentOneWhenNotStatedAndIsCapped() {
    assertThat(policy.legacyInterval(-1, 45_000)).isEqualTo(45_000);
    assertThat(policy.legacyInterval(30_000, 45_000)).isEqualTo(30_000);
    assertThat(policy.legacyInterval(3_600_000, 45_000)).isEqualTo(600_000);
  }
}
