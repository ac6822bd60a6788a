package io.universepush.api.push;

import io.universepush.api.cluster.ConnectorClient.NodeAddress;
import io.universepush.api.message.MessageOwners;
import io.universepush.api.system.ApiException;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.store.StoreUnavailableException;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.message.MessageIds;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.route.Route;
import io.universepush.store.route.RouteStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Unicast pushes: resolve the audience within the app, make the message durable when it has a ttl, then hand a
 * delivery per online device to its connector node.
 *
 * <p>Counters: the message store counts {@code targets} of durable messages; connectors count {@code sent},
 * {@code delivered} and {@code expired} for what they write, get acked or drop. A ttl-0 message is never stored, so
 * this class counts its targets, and counts as {@code expired} every target it could not write at once (offline,
 * not on its node, node unreachable): for such a message "deliver now or drop" means those are dropped for good.
 */
@Service
public class PushService {
  private static final Logger log = LoggerFactory.getLogger(PushService.class);
  private static final long STATS_GRACE_MS = TimeUnit.DAYS.toMillis(1);
  private static final int UNKNOWN_SHOWN = 20;

  private final PushRequestValidator validator;
  private final DeviceStore devices;
  private final RouteStore routes;
  private final MessageStore messages;
  private final MessageStats stats;
  private final MessageOwners owners;
  private final DeliveryDispatcher dispatcher;

  public PushService(
      PushRequestValidator validator,
      DeviceStore devices,
      RouteStore routes,
      MessageStore messages,
      MessageStats stats,
      MessageOwners owners,
      DeliveryDispatcher dispatcher) {
    this.validator = validator;
    this.devices = devices;
    this.routes = routes;
    this.messages = messages;
    this.stats = stats;
    this.owners = owners;
    this.dispatcher = dispatcher;
  }

  public PushAccepted push(String appId, PushRequest request) {
    ValidPush push = validator.validate(request);

    Set<String> targets = new LinkedHashSet<>(devices.existing(appId, push.regIds()));
    List<String> unknownRegIds = new ArrayList<>(push.regIds());
    unknownRegIds.removeAll(targets);
    List<String> unknownAliases = new ArrayList<>();
    for (String alias : push.aliases()) {
      Set<String> regIds = devices.regIdsByAlias(appId, alias);
      if (regIds.isEmpty()) {
        unknownAliases.add(alias);
      }
      targets.addAll(regIds);
    }
    if (targets.isEmpty()) {
      throw new ApiException(
          HttpStatus.NOT_FOUND,
          "unknown_audience",
          "no device of this app matches the audience"
              + describe("reg_ids", unknownRegIds)
              + describe("aliases", unknownAliases));
    }

    String msgId = MessageIds.next();
    long now = System.currentTimeMillis();
    boolean durable = push.ttlSeconds() > 0;
    long expiresAt = durable ? now + TimeUnit.SECONDS.toMillis(push.ttlSeconds()) : 0;
    owners.record(msgId, appId, (durable ? expiresAt - now : 0) + STATS_GRACE_MS);
    if (durable) {
      // Before answering: once the caller has a msg_id, the message survives anything but its own expiry.
      messages.saveWithPending(
          new StoredMessage(
              msgId, appId, push.payload(), push.title(), push.alert(), push.extras(), now, expiresAt),
          targets);
    } else {
      stats.increment(msgId, MessageStats.TARGETS, targets.size());
    }

    try {
      dispatch(appId, msgId, push, now, expiresAt, targets);
    } catch (StoreUnavailableException e) {
      if (!durable) {
        throw e;
      }
      // Stored and pending already: the devices get it when they next connect. Failing the request now would only
      // make the caller send it again, under another id.
      log.warn("message {} stored but not dispatched now: {}", msgId, e.getMessage());
    }
    return new PushAccepted(msgId, targets.size(), unknownRegIds, unknownAliases);
  }

  private void dispatch(
      String appId, String msgId, ValidPush push, long now, long expiresAt, Set<String> targets) {
    Map<String, Route> online = routes.findAll(targets);
    Map<NodeAddress, List<Delivery>> byNode = new LinkedHashMap<>();
    int offline = 0;
    for (String regId : targets) {
      Route route = online.get(regId);
      if (route == null || !appId.equals(route.appId())) {
        offline++;
        continue;
      }
      byNode
          .computeIfAbsent(NodeAddress.of(route), node -> new ArrayList<>())
          .add(delivery(appId, msgId, regId, push, now, expiresAt));
    }
    List<CompletableFuture<DeliveryOutcome>> outcomes = new ArrayList<>(online.size());
    byNode.forEach((node, deliveries) -> outcomes.addAll(dispatcher.submitAll(node, deliveries)));
    if (expiresAt == 0) {
      countDropped(msgId, offline, outcomes);
    }
  }

  /** For an online-only message, every target not written now is dropped: count those as expired. */
  private void countDropped(String msgId, int offline, List<CompletableFuture<DeliveryOutcome>> outcomes) {
    CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
        .handle(
            (ignored, failure) -> {
              long dropped = offline;
              for (CompletableFuture<DeliveryOutcome> outcome : outcomes) {
                if (outcome.isCompletedExceptionally() || outcome.join() != DeliveryOutcome.WRITTEN) {
                  dropped++;
                }
              }
              if (dropped > 0) {
                try {
                  stats.increment(msgId, MessageStats.EXPIRED, dropped);
                } catch (RuntimeException e) {
                  log.warn("could not count {} dropped deliveries of {}: {}", dropped, msgId, e.getMessage());
                }
              }
              return null;
            });
  }

  static Delivery delivery(
      String appId, String msgId, String regId, ValidPush push, long now, long expiresAt) {
    Delivery delivery = new Delivery();
    delivery.setMsgId(msgId);
    delivery.setAppId(appId);
    delivery.setRegId(regId);
    delivery.setPayload(push.payload());
    delivery.setTitle(push.title());
    delivery.setAlert(push.alert());
    delivery.setExtras(new LinkedHashMap<>(push.extras()));
    delivery.setExpiresAtMs(expiresAt);
    delivery.setSentAtMs(now);
    delivery.setAttempt(1);
    return delivery;
  }

  private static String describe(String field, List<String> unknown) {
    if (unknown.isEmpty()) {
      return "";
    }
    List<String> shown = unknown.subList(0, Math.min(UNKNOWN_SHOWN, unknown.size()));
    return "; unknown " + field + ": " + String.join(", ", shown) + (unknown.size() > shown.size() ? ", ..." : "");
  }
}
