package io.universepush.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesFromTheBaseUpToTheMaximumAndStartsOverAfterReset() {
    Backoff backoff = new Backoff(500, 30_000, 0, new Random(1));
    long[] delays = new long[9];
    for (int i = 0; i < delays.length; i++) {
      delays[i] = backoff.nextDelayMs();
    }
    assertThat(delays).containsExactly(500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000);

    backoff.reset();

    assertThat(backoff.nextDelayMs()).isEqualTo(500);
    assertThat(backoff.maxDelayMs()).isEqualTo(30_000);
  }

  @Test
  void neverOverflowsAfterManyFailures() {
    Backoff backoff = new Backoff(500, 30_000, 0, new Random(1));
    for (int i = 0; i < 1000; i++) {
      assertThat(backoff.nextDelayMs()).isEqualTo(i < 6 ? 500L << i : 30_000L);
    }
  }

  @Test
  void jitterShortensEachDelayByUpToItsFraction() {
    Backoff backoff = new Backoff(1000, 1000, 0.5, new Random(7));
    for (int i = 0; i < 1000; i++) {
      assertThat(backoff.nextDelayMs()).isBetween(500L, 1000L);
    }
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new Backoff(0, 10, 0, new Random())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(10, 5, 0, new Random())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(10, 50, 1.5, new Random())).isInstanceOf(IllegalArgumentException.class);
  }
}
