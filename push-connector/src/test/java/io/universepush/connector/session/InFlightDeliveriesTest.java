package io.universepush.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.rpc.connector.Delivery;
import org.junit.jupiter.api.Test;

class InFlightDeliveriesTest {
  private final InFlightDeliveries inFlight = new InFlightDeliveries();

  @Test
  void anAckSettlesEveryDeviceTheMessageWasWrittenForAndOnlyOnce() {
    assertThat(inFlight.add(delivery("m1", "r1"), 1, 100)).isNotNull();
    assertThat(inFlight.add(delivery("m1", "r2"), 1, 100)).isNotNull();
    assertThat(inFlight.add(delivery("m2", "r1"), 1, 100)).isNotNull();
    assertThat(inFlight.size()).isEqualTo(3);

    assertThat(inFlight.acknowledge("m1")).extracting(InFlightDelivery::regId).containsExactly("r1", "r2");
    assertThat(inFlight.acknowledge("m1")).isEmpty();
    assertThat(inFlight.size()).isEqualTo(1);
  }

  @Test
  void theSamePairIsNotInFlightTwice() {
    assertThat(inFlight.add(delivery("m1", "r1"), 1, 100)).isNotNull();
    assertThat(inFlight.add(delivery("m1", "r1"), 1, 100)).isNull();
    assertThat(inFlight.size()).isEqualTo(1);
  }

  @Test
  void aFailedWriteIsForgotten() {
    InFlightDelivery entry = inFlight.add(delivery("m1", "r1"), 1, 100);
    assertThat(inFlight.remove(entry)).isTrue();
    assertThat(inFlight.remove(entry)).isFalse();
    assertThat(inFlight.contains(entry)).isFalse();
    assertThat(inFlight.isEmpty()).isTrue();
    assertThat(inFlight.acknowledge("unknown")).isEmpty();
  }

  @Test
  void dueEntriesAreThoseWhoseTimeCameAndThatAreNotBeingRedelivered() {
    InFlightDelivery early = inFlight.add(delivery("m1", "r1"), 1, 100);
    InFlightDelivery late = inFlight.add(delivery("m2", "r1"), 1, 500);
    assertThat(inFlight.nextDueAtMs()).isEqualTo(100);
    assertThat(inFlight.due(200)).containsExactly(early);

    early.redelivering(true);
    assertThat(inFlight.due(200)).isEmpty();
    assertThat(inFlight.nextDueAtMs()).isEqualTo(500);

    early.written(2, 1_000);
    assertThat(early.attempt()).isEqualTo(2);
    assertThat(early.delivery().getAttempt()).isEqualTo(2);
    assertThat(inFlight.due(600)).containsExactly(late);
  }

  @Test
  void onlyUnicastPushesWithATtlArePersisted() {
    Delivery stored = delivery("m1", "r1");
    stored.setExpiresAtMs(1_000);
    Delivery onlineOnly = delivery("m2", "r1");
    Delivery fanout = delivery("m3", "r1");
    fanout.setExpiresAtMs(1_000);
    fanout.setFanoutId("1-0");

    assertThat(InFlightDelivery.isPersisted(stored)).isTrue();
    assertThat(InFlightDelivery.isPersisted(onlineOnly)).isFalse();
    assertThat(InFlightDelivery.isPersisted(fanout)).isFalse();
    assertThat(InFlightDelivery.isFanout(fanout)).isTrue();
  }

  private static Delivery delivery(String msgId, String regId) {
    Delivery delivery = new Delivery();
    delivery.setMsgId(msgId);
    delivery.setRegId(regId);
    return delivery;
  }
}
