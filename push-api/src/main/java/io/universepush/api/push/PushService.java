package io.universepush.api.push;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.api.cluster.ConnectorClient.NodeAddress;
import io.universepush.api.message.MessageOwners;
import io.universepush.api.message.MessageOwners.Owner;
import io.universepush.api.system.ApiException;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.store.StoreUnavailableException;
import io.universepush.store.device.Device;
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
 * Pushes: resolve the unicast part of the audience (reg ids, aliases) within the app, make the message durable
 * when it has a ttl, hand a delivery per online device to its connector node; hand the fan-out part (tags, all) to
 * every connector at once through {@link FanoutPublisher}, without ever listing its devices here.
 *
 * <p>Counters: {@code targets} is the number of unicast targets plus, for tags and all, an estimate from the device
 * indexes (see {@link #fanoutEstimate}); connectors count {@code sent}, {@code delivered} and {@code expired} for
 * what they write, get acked or drop. A ttl-0 unicast message is never stored, so this class counts as {@code
 * expired} every unicast target it could not write at once (offline, not on its node, node unreachable): for such a
 * message "deliver now or drop" means those are dropped for good.
 */
@Service
public class PushService {
  private static final Logger log = LoggerFactory.getLogger(PushService.class);
  private static final int UNKNOWN_SHOWN = 20;

  private final PushRequestValidator validator;
  private final DeviceStore devices;
  private final RouteStore routes;
  private final MessageStore messages;
  private final MessageStats stats;
  private final MessageOwners owners;
  private final DeliveryDispatcher dispatcher;
  private final FanoutPublisher fanout;

  public PushService(
      PushRequestValidator validator,
      DeviceStore devices,
      RouteStore routes,
      MessageStore messages,
      MessageStats stats,
      MessageOwners owners,
      DeliveryDispatcher dispatcher,
      FanoutPublisher fanout) {
    this.validator = validator;
    this.devices = devices;
    this.routes = routes;
    this.messages = messages;
    this.stats = stats;
    this.owners = owners;
    this.dispatcher = dispatcher;
    this.fanout = fanout;
  }

  public PushAccepted push(String appId, JsonNode request) {
    ValidPush push = validator.validate(request);

    List<String> unknownRegIds = new ArrayList<>();
    List<String> unknownAliases = new ArrayList<>();
    Set<String> targets = unicastTargets(appId, push, unknownRegIds, unknownAliases);
    if (targets.isEmpty() && !push.hasFanout()) {
      throw new ApiException(
          HttpStatus.NOT_FOUND,
          "unknown_audience",
          "no device of this app matches the audience"
              + (push.platforms().isEmpty() ? "" : " on platform " + String.join(", ", push.platforms()))
              + describe("reg_ids", unknownRegIds)
              + describe("aliases", unknownAliases));
    }

    long now = System.currentTimeMillis();
    boolean durable = push.ttlSeconds() > 0;
    long expiresAt = durable ? now + TimeUnit.SECONDS.toMillis(push.ttlSeconds()) : 0;
    StoredMessage message =
        new StoredMessage(
            MessageIds.next(),
            appId,
            push.payload(),
            push.title(),
            push.alert(),
            push.extras(),
            now,
            expiresAt,
            push.ios(),
            push.android());
    long estimate = push.hasFanout() ? fanoutEstimate(appId, push.all(), push.tags()) : 0;

    owners.record(message.msgId(), new Owner(appId, expiresAt, push.hasFanout()));
    if (durable) {
      // Before answering: once the caller has a msg_id, the message survives anything but its own expiry.
      messages.saveWithPending(message, targets);
      if (estimate > 0) {
        stats.increment(message.msgId(), MessageStats.TARGETS, estimate);
      }
    } else {
      // Also creates the counters of a message that reaches nobody, so that its status can still be read.
      stats.increment(message.msgId(), MessageStats.TARGETS, targets.size() + estimate);
    }
    if (push.hasFanout()) {
      fanout.publish(message, push.tags(), push.platforms());
    }

    if (!targets.isEmpty()) {
      try {
        dispatch(message, targets);
      } catch (StoreUnavailableException e) {
        if (!durable) {
          throw e;
        }
        // Stored and pending already: the devices get it when they next connect. Failing the request now would
        // only make the caller send it again, under another id.
        log.warn("message {} stored but not dispatched now: {}", message.msgId(), e.getMessage());
      }
    }
    return new PushAccepted(
        message.msgId(), (int) Math.min(Integer.MAX_VALUE, targets.size() + estimate), unknownRegIds, unknownAliases);
  }

  /**
   * An app-wide push of a ready payload (universe_push's {@code /push/sendToAll}); the answer counts the app's
   * devices.
   */
  public PushAccepted pushToAll(String appId, byte[] payload, int ttlSeconds) {
    long now = System.currentTimeMillis();
    long expiresAt = ttlSeconds > 0 ? now + TimeUnit.SECONDS.toMillis(ttlSeconds) : 0;
    StoredMessage message =
        new StoredMessage(MessageIds.next(), appId, payload, null, null, Map.of(), now, expiresAt, null, null);
    long estimate = fanoutEstimate(appId, true, Set.of());
    owners.record(message.msgId(), new Owner(appId, expiresAt, true));
    if (expiresAt > 0) {
      messages.saveWithPending(message, List.of());
    }
    stats.increment(message.msgId(), MessageStats.TARGETS, estimate);
    fanout.publish(message, Set.of(), Set.of());
    return new PushAccepted(message.msgId(), (int) Math.min(Integer.MAX_VALUE, estimate), List.of(), List.of());
  }

  /**
   * How many devices a fan-out may reach: the app's device count, or the sum of the tags' sizes (a device in two of
   * the tags counts twice). The platform filter is not applied: an upper bound, cheap at any audience size.
   */
  private long fanoutEstimate(String appId, boolean all, Set<String> tags) {
    return all ? devices.countOfApp(appId) : devices.countByTags(appId, tags);
  }

  /** The app's devices named by reg id or alias that pass the platform filter; collects the names that matched none. */
  private Set<String> unicastTargets(
      String appId, ValidPush push, List<String> unknownRegIds, List<String> unknownAliases) {
    if (!push.hasUnicast()) {
      return new LinkedHashSet<>();
    }
    Set<String> named = new LinkedHashSet<>(push.regIds());
    for (String alias : push.aliases()) {
      Set<String> regIds = devices.regIdsByAlias(appId, alias);
      if (regIds.isEmpty()) {
        unknownAliases.add(alias);
      }
      named.addAll(regIds);
    }
    Map<String, Device> found = devices.findAll(appId, named);
    for (String regId : push.regIds()) {
      if (!found.containsKey(regId)) {
        unknownRegIds.add(regId);
      }
    }
    Set<String> targets = new LinkedHashSet<>();
    for (String regId : named) {
      Device device = found.get(regId);
      if (device != null && push.acceptsPlatform(device.platform())) {
        targets.add(regId);
      }
    }
    return targets;
  }

  private void dispatch(StoredMessage message, Set<String> targets) {
    Map<String, Route> online = routes.findAll(targets);
    Map<NodeAddress, List<Delivery>> byNode = new LinkedHashMap<>();
    int offline = 0;
    for (String regId : targets) {
      Route route = online.get(regId);
      if (route == null || !message.appId().equals(route.appId())) {
        offline++;
        continue;
      }
      byNode.computeIfAbsent(NodeAddress.of(route), node -> new ArrayList<>()).add(delivery(message, regId));
    }
    List<CompletableFuture<DeliveryOutcome>> outcomes = new ArrayList<>(online.size());
    byNode.forEach((node, deliveries) -> outcomes.addAll(dispatcher.submitAll(node, deliveries)));
    if (message.expiresAtMs() == 0) {
      countDropped(message.msgId(), offline, outcomes);
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

  static Delivery delivery(StoredMessage message, String regId) {
    Delivery delivery = new Delivery();
    delivery.setMsgId(message.msgId());
    delivery.setAppId(message.appId());
    delivery.setRegId(regId);
    delivery.setPayload(message.payload());
    delivery.setTitle(message.title());
    delivery.setAlert(message.alert());
    delivery.setExtras(new LinkedHashMap<>(message.extras()));
    delivery.setExpiresAtMs(message.expiresAtMs());
    delivery.setSentAtMs(message.createdAtMs());
    delivery.setAttempt(1);
    delivery.setIos(message.ios());
    delivery.setAndroid(message.android());
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
