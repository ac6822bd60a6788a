package io.universepush.api.push;

import io.universepush.store.StoreUnavailableException;
import io.universepush.store.fanout.FanoutBus;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.message.StoredMessage;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Hands a tag or app-wide push to every connector at once, never looping over devices here: a message with a ttl
 * goes into its app's fan-out log first (the truth that offline devices catch up from), then one event on the bus
 * (the fast path to every connected device).
 */
@Component
public class FanoutPublisher {
  private static final Logger log = LoggerFactory.getLogger(FanoutPublisher.class);

  private final FanoutLog fanoutLog;
  private final FanoutBus bus;

  public FanoutPublisher(FanoutLog fanoutLog, FanoutBus bus) {
    this.fanoutLog = fanoutLog;
    this.bus = bus;
  }

  /**
   * @param tags empty: every device of the app
   * @param platforms empty: every platform
   * @return the entry, with its offset and epoch in the log when the message has a ttl (offset 0 for online-only
   *     messages, never logged)
   */
  public FanoutEntry publish(StoredMessage message, Set<String> tags, Set<String> platforms) {
    FanoutEntry entry = FanoutEntry.of(message.appId(), message.msgId(), tags, platforms, message.expiresAtMs());
    boolean durable = message.expiresAtMs() > 0;
    if (durable) {
      entry = fanoutLog.append(entry);
    }
    try {
      bus.publish(new FanoutEvent(entry, message));
    } catch (StoreUnavailableException e) {
      if (!durable) {
        throw e;
      }
      // Logged already: devices get it from the log when they next connect. Failing now would only make the
      // caller send it again, under another id.
      log.warn(
          "fan-out {} logged at offset {} of epoch {} but not published now: {}",
          message.msgId(),
          entry.offset(),
          entry.epoch(),
          e.getMessage());
    }
    return entry;
  }
}
