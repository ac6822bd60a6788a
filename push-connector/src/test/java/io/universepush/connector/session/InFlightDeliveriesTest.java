package io.universepush.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightDeliveriesTest {
  private final InFlightDeliveries inFlight = new InFlightDeliveries();

  @Test
  void anAckSettlesEveryDeviceTheMessageWasWrittenForAndOnlyOnce() {
    assertThat(inFlight.add("m1", "r1")).isTrue();
    assertThat(inFlight.add("m1", "r2")).isTrue();
    assertThat(inFlight.add("m2", "r1")).isTrue();
    assertThat(inFlight.size()).isEqualTo(3);

    assertThat(inFlight.acknowledge("m1")).containsExactly("r1", "r2");
    assertThat(inFlight.acknowledge("m1")).isEmpty();
    assertThat(inFlight.size()).isEqualTo(1);
  }

  @Test
  void theSamePairIsNotInFlightTwice() {
    assertThat(inFlight.add("m1", "r1")).isTrue();
    assertThat(inFlight.add("m1", "r1")).isFalse();
    assertThat(inFlight.size()).isEqualTo(1);
  }

  @Test
  void aFailedWriteIsForgotten() {
    inFlight.add("m1", "r1");
    assertThat(inFlight.remove("m1", "r1")).isTrue();
    assertThat(inFlight.remove("m1", "r1")).isFalse();
    assertThat(inFlight.isEmpty()).isTrue();
    assertThat(inFlight.acknowledge("unknown")).isEmpty();
  }
}
