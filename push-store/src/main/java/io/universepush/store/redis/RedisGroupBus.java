package io.universepush.store.redis;

import static io.universepush.store.redis.RedisFailures.call;
import static io.universepush.store.redis.RedisFailures.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.store.group.GroupBus;
import io.universepush.store.group.GroupMembershipChange;
import java.util.function.Consumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redisson topic, {@code {prefix}groups}, carrying each {@link GroupMembershipChange} as JSON text, like
 * {@link RedisFanoutBus} does for fan-out events. Changes published while a subscriber is reconnecting are lost; a
 * connector learns a device's groups again from the store on its next connect.
 */
public final class RedisGroupBus implements GroupBus {
  private static final Logger log = LoggerFactory.getLogger(RedisGroupBus.class);

  // Unknown fields are ignored so that a newer publisher does not break older subscribers in a rolling upgrade.
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final RTopic topic;

  public RedisGroupBus(RedissonClient redisson, String keyPrefix) {
    this.topic = redisson.getTopic(new RedisKeys(keyPrefix).groupTopic(), StringCodec.INSTANCE);
  }

  @Override
  public void publish(GroupMembershipChange change) {
    String json = toJson(change);
    run("group change publish", () -> topic.publish(json));
  }

  @Override
  public AutoCloseable subscribe(Consumer<GroupMembershipChange> listener) {
    int listenerId =
        call(
            "group change subscribe",
            () ->
                topic.addListener(
                    String.class,
                    (channel, json) -> {
                      // A failing listener must not end the subscription: log and wait for the next change.
                      try {
                        listener.accept(JSON.readValue(json, GroupMembershipChange.class));
                      } catch (JsonProcessingException e) {
                        log.warn("Dropping an unreadable group change: {}", e.getMessage());
                      } catch (RuntimeException e) {
                        log.error("A group change listener failed", e);
                      }
                    }));
    return () -> run("group change unsubscribe", () -> topic.removeListener(listenerId));
  }

  static String toJson(GroupMembershipChange change) {
    try {
      return JSON.writeValueAsString(change);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("group change is not serialisable", e);
    }
  }
}
