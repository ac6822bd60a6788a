package io.universepush.store.fanout;

import java.util.function.Consumer;

/**
 * The fast path of fan-out: one publish reaches every connector (a Redisson topic). Best effort, as Redis pub/sub is:
 * a connector that misses an event leaves its devices to catch up from the {@link FanoutLog} on their next connect.
 */
public interface FanoutBus {

  void publish(FanoutEvent event);

  /** Delivers every event published from now on; closing the returned handle stops that. */
  AutoCloseable subscribe(Consumer<FanoutEvent> listener);
}
