package io.universepush.group.message;

import io.universepush.group.group.Groups;
import io.universepush.group.system.ApiException;
import io.universepush.group.system.GroupProperties;
import io.universepush.group.system.StoreConfiguration;
import io.universepush.rpc.group.GroupMessage;
import io.universepush.store.fanout.FanoutBus;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.fanout.FanoutPage;
import io.universepush.store.fanout.FanoutPosition;
import io.universepush.store.message.MessageIds;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.StoredMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Group messages. A send stores the message once, appends one entry to the group's channel of the app's fan-out log
 * (its offset is the message's sequence number) and publishes one event on the fan-out bus: connectors deliver it to
 * the members they hold, and catch up members who were away from the log. Nothing here loops over members.
 *
 * <p>Two expiries: the log entry's is the send's ttl (how long an offline member may still receive it; a ttl of 0
 * gives a few seconds, for the members online now), the stored message's is at least the history retention, so that
 * history shows it for that long whatever its ttl.
 */
@Service
public class GroupMessages {
  /** A ttl-0 (online-only) message still travels the live path: its entry expires this long after the send. */
  static final long ONLINE_ONLY_MILLIS = 10_000;

  private final Groups groups;
  private final SendRules rules;
  private final MessageStore messages;
  private final FanoutLog log;
  private final FanoutLog history;
  private final FanoutBus bus;
  private final GroupProperties properties;
  private final Clock clock = Clock.systemUTC();

  public GroupMessages(
      Groups groups,
      SendRules rules,
      MessageStore messages,
      FanoutLog log,
      @Qualifier(StoreConfiguration.HISTORY) FanoutLog history,
      FanoutBus bus,
      GroupProperties properties) {
    this.groups = groups;
    this.rules = rules;
    this.messages = messages;
    this.log = log;
    this.history = history;
    this.bus = bus;
    this.properties = properties;
  }

  /** A message sent: its sequence in the group, id and time. */
  public record Sent(String groupId, long seq, String msgId, long sentAtMs) {}

  /** @param from the sending member's reg id, or null/empty for the app's server */
  public Sent send(String appId, String groupId, String from, byte[] payload, Long ttlSeconds) {
    long ttl = rules.check(payload, ttlSeconds);
    groups.get(appId, groupId);
    String sender = from == null ? "" : from;
    if (!sender.isEmpty() && !groups.isMember(appId, groupId, sender)) {
      throw ApiException.notAMember(sender, groupId);
    }
    rules.takeSend(appId);
    long now = clock.millis();
    long kept = Math.max(ttl, rules.historyRetentionSeconds());
    StoredMessage message =
        new StoredMessage(
            MessageIds.next(),
            appId,
            payload,
            null,
            null,
            sender.isEmpty() ? Map.of() : Map.of("from", sender),
            now,
            now + TimeUnit.SECONDS.toMillis(kept));
    long deliverUntil = now + (ttl == 0 ? ONLINE_ONLY_MILLIS : TimeUnit.SECONDS.toMillis(ttl));
    // Stored before it is in the log: an entry never names a message that is not there yet.
    messages.saveWithPending(message, List.of());
    FanoutEntry entry =
        log.append(FanoutEntry.groupMessage(appId, groupId, message.msgId(), sender, deliverUntil));
    bus.publish(new FanoutEvent(entry, message));
    return new Sent(groupId, entry.offset(), message.msgId(), now);
  }

  /** A page of history. {@code recovered} is false when messages after {@code afterSeq} were trimmed away. */
  public record Page(List<GroupMessage> messages, long topSeq, long nextAfterSeq, boolean recovered) {}

  public Page history(String appId, String groupId, long afterSeq, int limit) {
    if (afterSeq < 0) {
      throw ApiException.invalidField("after_seq", "must not be negative");
    }
    if (limit < 1 || limit > properties.maxHistoryPage()) {
      throw ApiException.invalidField("limit", "must be between 1 and " + properties.maxHistoryPage());
    }
    groups.get(appId, groupId);
    String channel = FanoutEntry.groupChannel(groupId);
    FanoutPosition top = history.top(appId, channel);
    if (afterSeq > top.offset()) {
      throw ApiException.invalidField(
          "after_seq", "the group's newest message is " + top.offset() + ", after_seq " + afterSeq + " is beyond it");
    }
    FanoutPage page = history.read(appId, channel, new FanoutPosition(afterSeq, top.epoch()), 0, limit);
    boolean recovered = page.recovered();
    if (!recovered) {
      // What followed after_seq is gone (trimmed, or another epoch): start at the oldest message still kept.
      page = history.read(appId, channel, null, 0, limit);
    }
    List<String> ids = new ArrayList<>();
    page.entries().forEach(e -> ids.add(e.msgId()));
    Map<String, StoredMessage> found = messages.findAll(ids);
    List<GroupMessage> out = new ArrayList<>();
    for (FanoutEntry entry : page.entries()) {
      StoredMessage message = found.get(entry.msgId());
      if (message != null) {
        out.add(new GroupMessage(entry.offset(), entry.msgId(), entry.sender(), message.payload(), message.createdAtMs()));
      }
    }
    return new Page(out, page.top(), page.until(), recovered);
  }
}
