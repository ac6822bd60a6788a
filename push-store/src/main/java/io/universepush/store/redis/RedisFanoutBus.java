package io.universepush.store.redis;

import static io.universepush.store.redis.RedisFailures.call;
import static io.universepush.store.redis.RedisFailures.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.store.fanout.FanoutBus;
import io.universepush.store.fanout.FanoutEvent;
import java.util.function.Consumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redisson topic, {@code {prefix}fanout}, carrying each {@link FanoutEvent} as JSON text, so any service (and a
 * {@code redis-cli subscribe}) can read it without Java serialization. Redisson re-subscribes after a reconnect;
 * events published meanwhile are lost, which the fan-out log covers.
 */
public final class RedisFanoutBus implements FanoutBus {
  private static final Logger log = LoggerFactory.getLogger(RedisFanoutBus.class);

  // Unknown fields are ignored so that a newer publisher does not break older subscribers in a rolling upgrade.
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final RTopic topic;

  public RedisFanoutBus(RedissonClient redisson, String keyPrefix) {
    this.topic = redisson.getTopic(new RedisKeys(keyPrefix).fanoutTopic(), StringCodec.INSTANCE);
  }

  @Override
  public void publish(FanoutEvent event) {
    String json = toJson(event);
    run("fan-out publish", () -> topic.publish(json));
  }

  @Override
  public AutoCloseable subscribe(Consumer<FanoutEvent> listener) {
    int listenerId =
        call(
            "fan-out subscribe",
            () ->
                topic.addListener(
                    String.class,
                    (channel, json) -> {
                      // A failing listener must not end the subscription: log and wait for the next event.
                      try {
                        listener.accept(JSON.readValue(json, FanoutEvent.class));
                      } catch (JsonProcessingException e) {
                        log.warn("Dropping an unreadable fan-out event: {}", e.getMessage());
                      } catch (RuntimeException e) {
                        log.error("A fan-out listener failed", e);
                      }
                    }));
    return () -> run("fan-out unsubscribe", () -> topic.removeListener(listenerId));
  }

  static String toJson(FanoutEvent event) {
    try {
      return JSON.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("fan-out event is not serialisable", e);
    }
  }
}
