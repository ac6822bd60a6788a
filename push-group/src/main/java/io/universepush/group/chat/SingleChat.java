package io.universepush.group.chat;

import io.universepush.group.group.DeviceNames;
import io.universepush.group.message.SendRules;
import io.universepush.group.system.GroupProperties;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.rpc.connector.DeliveryResult;
import io.universepush.store.StoreUnavailableException;
import io.universepush.store.message.MessageIds;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.route.Route;
import io.universepush.store.route.RouteStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Single chat, with a unicast push's guarantees: the message is stored with a pending entry for the recipient before
 * anything is delivered (so an answer means it waits for the device until its ttl), then handed to the connector node
 * in the recipient's route ({@code ConnectorService.deliver} aimed at that node, as push-api does). {@code online}:
 * the node wrote it to the device's session (the device's ack removes the pending entry); {@code pending}: it waits
 * for the device's next connect. A ttl of 0 is not stored: written now or {@code dropped}.
 *
 * <p>The sender travels in the message's extras as {@code from} (a {@code Delivery} has no field of its own for it).
 */
@Service
public class SingleChat implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(SingleChat.class);

  private final DeviceNames names;
  private final SendRules rules;
  private final MessageStore messages;
  private final RouteStore routes;
  private final ConnectorClient connectors;
  private final long timeoutMillis;
  private final Clock clock = Clock.systemUTC();
  // Calls wait at most the timeout; a pool of their own so a slow node never holds a request thread longer.
  private final ExecutorService calls = Executors.newCachedThreadPool(daemon());

  public SingleChat(
      DeviceNames names,
      SendRules rules,
      MessageStore messages,
      RouteStore routes,
      ConnectorClient connectors,
      GroupProperties properties) {
    this.names = names;
    this.rules = rules;
    this.messages = messages;
    this.routes = routes;
    this.connectors = connectors;
    this.timeoutMillis = properties.deliveryTimeoutMillis();
  }

  public enum Delivered {
    ONLINE,
    PENDING,
    DROPPED
  }

  public record Sent(String msgId, String regId, Delivered delivered, long sentAtMs) {}

  /**
   * @param from the sender's reg id or alias (a device of the app), or null/empty for the app's server
   * @param to a reg id or an alias naming exactly one device
   */
  public Sent send(String appId, String from, String to, byte[] payload, Long ttlSeconds) {
    long ttl = rules.check(payload, ttlSeconds);
    String sender = from == null || from.isEmpty() ? "" : names.resolveOne(appId, "from", from, false);
    String regId = names.resolveOne(appId, "to", to, true);
    rules.takeSend(appId);
    long now = clock.millis();
    StoredMessage message =
        new StoredMessage(
            MessageIds.next(),
            appId,
            payload,
            null,
            null,
            sender.isEmpty() ? Map.of() : Map.of("from", sender),
            now,
            ttl == 0 ? 0 : now + TimeUnit.SECONDS.toMillis(ttl));
    if (ttl > 0) {
      // Before answering: once the caller has a msg_id, the message survives anything but its own expiry.
      messages.saveWithPending(message, List.of(regId));
    }
    boolean written = false;
    try {
      written = deliverNow(message, regId);
    } catch (StoreUnavailableException e) {
      if (ttl == 0) {
        throw e;
      }
      log.warn("message {} stored but not delivered now: {}", message.msgId(), e.getMessage());
    }
    Delivered delivered = written ? Delivered.ONLINE : ttl == 0 ? Delivered.DROPPED : Delivered.PENDING;
    return new Sent(message.msgId(), regId, delivered, now);
  }

  private boolean deliverNow(StoredMessage message, String regId) {
    Optional<Route> route = routes.find(regId).filter(r -> message.appId().equals(r.appId()));
    if (route.isEmpty()) {
      return false;
    }
    Delivery delivery = delivery(message, regId);
    CompletableFuture<DeliveryReport> call =
        CompletableFuture.supplyAsync(() -> connectors.deliver(route.get(), List.of(delivery)), calls);
    try {
      DeliveryReport report = call.get(timeoutMillis, TimeUnit.MILLISECONDS);
      if (report == null || report.getResults() == null) {
        return false;
      }
      for (DeliveryResult result : report.getResults()) {
        if (regId.equals(result.getRegId()) && message.msgId().equals(result.getMsgId())) {
          return result.getOutcome() == DeliveryOutcome.WRITTEN;
        }
      }
      return false;
    } catch (TimeoutException e) {
      log.warn("connector {} took over {} ms for {}: it stays pending", route.get().nodeId(), timeoutMillis, regId);
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      log.warn("delivery to connector {} failed, it stays pending: {}", route.get().nodeId(), e.getCause().toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Delivery delivery(StoredMessage message, String regId) {
    Delivery delivery = new Delivery();
    delivery.setMsgId(message.msgId());
    delivery.setAppId(message.appId());
    delivery.setRegId(regId);
    delivery.setPayload(message.payload());
    delivery.setExtras(new LinkedHashMap<>(message.extras()));
    delivery.setExpiresAtMs(message.expiresAtMs());
    delivery.setSentAtMs(message.createdAtMs());
    delivery.setAttempt(1);
    return delivery;
  }

  @Override
  public void destroy() {
    calls.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "group-chat-delivery");
      thread.setDaemon(true);
      return thread;
    };
  }
}
