package io.universepush.api.legacy;

import io.universepush.api.cluster.ConnectorClient.NodeAddress;
import io.universepush.api.push.DeliveryDispatcher;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.subscribe.SubscribeService;
import io.universepush.store.message.MessageIds;
import io.universepush.store.route.Route;
import io.universepush.store.route.RouteStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Pushes to universe_push tokens. As in universe_push, a push reaches the device only if it is connected now (ttl 0
 * semantics, nothing is stored), and succeeds when the connector wrote it to the socket.
 */
@Component
@LegacyEndpoints
public class LegacyPushes {
  static final String LEGACY_APP_ID = "legacy";
  private static final long WAIT_SECONDS = 10;

  private final SubscribeService subscribe;
  private final RouteStore routes;
  private final DeliveryDispatcher dispatcher;

  public LegacyPushes(SubscribeService subscribe, RouteStore routes, DeliveryDispatcher dispatcher) {
    this.subscribe = subscribe;
    this.routes = routes;
    this.dispatcher = dispatcher;
  }

  /** The device's route when the token is known and the device connected. */
  Optional<Route> onlineRoute(String token) {
    String regId = subscribe.resolveLegacyToken(token);
    if (regId == null) {
      return Optional.empty();
    }
    return routes.find(regId).filter(route -> LEGACY_APP_ID.equals(route.appId()));
  }

  /** Sends the message to each token; true for those whose device got it written. Sent in parallel. */
  Map<String, Boolean> send(List<String> tokens, String message) {
    byte[] payload = message.getBytes(StandardCharsets.UTF_8);
    Map<String, CompletableFuture<DeliveryOutcome>> outcomes = new LinkedHashMap<>();
    List<String> unreachable = new ArrayList<>();
    for (String token : tokens) {
      if (outcomes.containsKey(token)) {
        continue;
      }
      Optional<Route> route = token.isBlank() ? Optional.empty() : onlineRoute(token);
      if (route.isEmpty()) {
        unreachable.add(token);
        continue;
      }
      outcomes.put(token, dispatcher.submit(NodeAddress.of(route.get()), delivery(route.get().regId(), payload)));
    }
    Map<String, Boolean> written = new LinkedHashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    for (String token : tokens) {
      CompletableFuture<DeliveryOutcome> outcome = outcomes.get(token);
      written.put(token, outcome != null && !unreachable.contains(token) && wasWritten(outcome, deadline));
    }
    return written;
  }

  private static boolean wasWritten(CompletableFuture<DeliveryOutcome> outcome, long deadline) {
    try {
      long left = Math.max(0, deadline - System.nanoTime());
      return outcome.get(left, TimeUnit.NANOSECONDS) == DeliveryOutcome.WRITTEN;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Delivery delivery(String regId, byte[] payload) {
    Delivery delivery = new Delivery();
    delivery.setMsgId(MessageIds.next());
    delivery.setAppId(LEGACY_APP_ID);
    delivery.setRegId(regId);
    delivery.setPayload(payload);
    delivery.setExpiresAtMs(0);
    delivery.setSentAtMs(System.currentTimeMillis());
    return delivery;
  }
}
