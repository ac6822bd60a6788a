package io.universepush.connector.connection;

import io.universepush.connector.auth.AuthenticatedBinding;
import io.universepush.connector.auth.DeviceAuthenticator;
import io.universepush.connector.delivery.DeliveryReceipts;
import io.universepush.connector.delivery.StoredDeliveries;
import io.universepush.connector.metrics.ConnectorMetrics;
import io.universepush.connector.node.LocalNode;
import io.universepush.connector.node.NodeAddress;
import io.universepush.connector.rpc.RemoteConnectors;
import io.universepush.connector.session.DeviceSession;
import io.universepush.connector.session.InFlightDelivery;
import io.universepush.connector.session.SessionAction;
import io.universepush.connector.session.SessionAction.Authenticate;
import io.universepush.connector.session.SessionAction.Bind;
import io.universepush.connector.session.SessionAction.CountAttempts;
import io.universepush.connector.session.SessionAction.Expired;
import io.universepush.connector.session.SessionAction.Failed;
import io.universepush.connector.session.SessionAction.ReadFanout;
import io.universepush.connector.session.SessionAction.ReadPending;
import io.universepush.connector.session.SessionAction.RenewRoutes;
import io.universepush.connector.session.SessionAction.SavePosition;
import io.universepush.connector.session.SessionAction.SendPush;
import io.universepush.connector.session.SessionAction.Settle;
import io.universepush.connector.session.SessionAction.SendUpstream;
import io.universepush.connector.session.UpstreamMessage;
import io.universepush.protocol.proto.GroupPosition;
import io.universepush.protocol.proto.GroupStart;
import io.universepush.rpc.group.GroupResultCode;
import io.universepush.rpc.group.GroupSendResult;
import io.universepush.rpc.group.GroupService;
import io.universepush.store.group.GroupStore;
import io.universepush.connector.session.SessionAction.SubscribeLegacy;
import io.universepush.connector.session.SessionAction.Unbind;
import io.universepush.connector.connection.SessionRegistry.LocalBinding;
import io.universepush.connector.system.BlockingTasks;
import io.universepush.connector.wire.PushFrames;
import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.protocol.proto.StreamPosition;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.subscribe.LegacySubscription;
import io.universepush.store.device.Device;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.fanout.FanoutPage;
import io.universepush.store.fanout.FanoutPosition;
import io.universepush.store.message.MessageStore;
import io.universepush.store.message.PendingEntry;
import io.universepush.store.message.StoredMessage;
import io.universepush.store.route.Route;
import io.universepush.store.route.RouteStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Carries out what sessions ask of the cluster: push-subscribe's checks, the registry and routes, reads of pending
 * sets and fan-out logs, attempts and receipts in Redis. The calls block, so they run on the blocking pool; each
 * answer goes back to its connection's event loop as a session command. A call that cannot even be queued (the pool is
 * saturated) is answered as failed, and the session retries it later.
 */
@Component
public class SessionEffects {
  private static final Logger log = LoggerFactory.getLogger(SessionEffects.class);

  private final DeviceAuthenticator authenticator;
  private final SessionRegistry registry;
  private final RouteStore routes;
  private final RemoteConnectors remote;
  private final MessageStore messages;
  private final StoredDeliveries stored;
  private final FanoutLog fanoutLog;
  private final DeviceStore devices;
  private final GroupStore groups;
  private final GroupService groupService;
  private final DeliveryReceipts receipts;
  private final BlockingTasks blocking;
  private final LocalNode node;
  private final ConnectorMetrics metrics;
  private final Clock clock;
  private final Coalescer<Authenticate, List<AuthenticatedBinding>> connects;
  private final Coalescer<String, LegacySubscription> legacySubscriptions;
  private final Coalescer<BindRequest, Boolean> binds;

  public SessionEffects(
      DeviceAuthenticator authenticator,
      SessionRegistry registry,
      RouteStore routes,
      RemoteConnectors remote,
      MessageStore messages,
      StoredDeliveries stored,
      FanoutLog fanoutLog,
      DeviceStore devices,
      GroupStore groups,
      GroupService groupService,
      DeliveryReceipts receipts,
      BlockingTasks blocking,
      LocalNode node,
      ConnectorMetrics metrics,
      Clock clock) {
    this.authenticator = authenticator;
    this.registry = registry;
    this.routes = routes;
    this.remote = remote;
    this.messages = messages;
    this.stored = stored;
    this.fanoutLog = fanoutLog;
    this.devices = devices;
    this.groups = groups;
    this.groupService = groupService;
    this.receipts = receipts;
    this.blocking = blocking;
    this.node = node;
    this.metrics = metrics;
    this.clock = clock;
    // Half the pool at most per kind, so that a storm of one kind leaves threads for the others (pending reads,
    // acks). 256 bindings make a Dubbo request of ~40 KB and a Redis pipeline that answers in a few ms.
    int drainers = Math.max(1, blocking.threads() / 2);
    this.connects = new Coalescer<>("authentication", blocking, MAX_BATCH, drainers, this::authenticateAll);
    this.legacySubscriptions =
        new Coalescer<>("legacy subscription", blocking, MAX_BATCH, drainers, authenticator::subscribeLegacyAll);
    this.binds = new Coalescer<>("route write", blocking, MAX_BATCH, drainers, this::bindAll);
  }

  static final int MAX_BATCH = 256;

  /** Event loop: writes a push (the caller flushes); counts its first write and settles a legacy one once written. */
  void write(DeviceConnection connection, SendPush push) {
    Delivery content = push.content();
    boolean fanout = content.isFanout() || push.fanoutOffset() > 0;
    if (push.attempt() > 1) {
      metrics.redelivery();
    }
    String msgId = content.getMsgId();
    if (!PushFrames.fits(connection.version(), content)) {
      // universe_push's first header generation has a 16-bit length: such a device can never take this message.
      log.info("push {} to {} dropped: {} bytes do not fit a version-1 frame", msgId, push.regId(), content.getPayload().length);
      receipts.failed(forDevice(content, push.regId()), push.attempt());
      return;
    }
    connection
        .channel()
        .write(PushFrames.forVersion(connection.version(), push))
        .addListener(
            future -> {
              if (!future.isSuccess()) {
                log.debug("push {} to {} not written: {}", msgId, push.regId(), String.valueOf(future.cause()));
                return;
              }
              if (push.attempt() <= 1) {
                receipts.sent(msgId);
                if (fanout) {
                  metrics.fanoutWrite();
                }
              }
              if (push.settleOnWrite()) {
                receipts.delivered(push.regId(), msgId, !fanout && content.getExpiresAtMs() > 0);
              }
            });
  }

  /** Event loop: one cluster action. */
  void run(DeviceConnection connection, SessionAction action) {
    if (action instanceof Authenticate authenticate) {
      authenticate(connection, authenticate);
    } else if (action instanceof SubscribeLegacy subscribe) {
      legacySubscriptions.submit(
          subscribe.uid(),
          subscription -> connection.execute(session -> session.legacySubscribed(subscribe.request(), subscription)),
          () -> connection.execute(session -> session.legacySubscribed(subscribe.request(), null)));
    } else if (action instanceof Bind bind) {
      binds.submit(
          new BindRequest(connection, bind),
          done -> connection.execute(session -> session.bound(bind.regId())),
          () -> connection.execute(session -> session.bindFailed(bind.regId())));
    } else if (action instanceof RenewRoutes renew) {
      blocking.submit("route renewal", () -> renew(connection, renew));
    } else if (action instanceof Unbind unbind) {
      unbind(connection, unbind);
    } else if (action instanceof SavePosition save) {
      blocking.submit(
          "fan-out position of " + save.regId(),
          () -> devices.saveFanoutPosition(save.appId(), save.regId(), save.position()));
    } else if (action instanceof ReadPending read) {
      offLoop(
          connection,
          "pending read of " + read.regId(),
          () -> {
            StoredDeliveries.Page page = stored.pending(read.regId(), read.limit(), read.skip());
            return session -> session.pendingRead(read.regId(), page.deliveries(), page.more());
          },
          session -> session.pendingReadFailed(read.regId()));
    } else if (action instanceof ReadFanout read) {
      offLoop(
          connection,
          "fan-out read of " + read.regId(),
          () -> readFanout(read),
          session -> session.fanoutReadFailed(read.regId(), read.channel()));
    } else if (action instanceof SendUpstream upstream) {
      sendUpstream(connection, upstream);
    } else if (action instanceof CountAttempts count) {
      countAttempts(connection, count.entries());
    } else if (action instanceof Settle settle) {
      List<DeliveryReceipts.Receipt> settled = new ArrayList<>(settle.receipts().size());
      for (SessionAction.Receipt receipt : settle.receipts()) {
        settled.add(new DeliveryReceipts.Receipt(receipt.regId(), receipt.msgId(), receipt.persisted()));
      }
      receipts.delivered(settled, () -> connection.execute(session -> session.settled(settle.receipts())));
    } else if (action instanceof Expired expired) {
      expired.deliveries().forEach(receipts::expired);
    } else if (action instanceof Failed failed) {
      receipts.failed(forDevice(failed.delivery(), failed.regId()), failed.attempts());
    } else {
      throw new IllegalStateException("not a cluster action: " + action);
    }
  }

  /**
   * Runs {@code call} on the blocking pool and hands the command it returns to the connection; when the call throws
   * or cannot be queued, {@code onFailure} goes instead.
   */
  private void offLoop(
      DeviceConnection connection,
      String what,
      BlockingCall call,
      Function<DeviceSession, List<SessionAction>> onFailure) {
    boolean queued =
        blocking.submit(
            what,
            () -> {
              Function<DeviceSession, List<SessionAction>> answer;
              try {
                answer = call.run();
              } catch (RuntimeException e) {
                log.warn("{} failed: {}", what, e.toString());
                answer = onFailure;
              }
              connection.execute(answer);
            });
    if (!queued) {
      connection.execute(onFailure);
    }
  }

  @FunctionalInterface
  private interface BlockingCall {
    Function<DeviceSession, List<SessionAction>> run();
  }

  // ------------------------------------------------------------------ authentication

  private void authenticate(DeviceConnection connection, Authenticate authenticate) {
    connects.submit(
        authenticate,
        results -> connection.execute(session -> session.authenticated(results)),
        () -> {
          List<AuthenticatedBinding> busy = new ArrayList<>();
          for (Binding binding : authenticate.bindings()) {
            busy.add(
                new AuthenticatedBinding(
                    BindingResult.newBuilder()
                        .setAppId(binding.getAppId())
                        .setRegId(binding.getRegId())
                        .setResult(ConnectResult.SERVER_UNAVAILABLE.code())
                        .setReason("server busy, retry later")
                        .build(),
                    null,
                    null));
          }
          connection.execute(session -> session.authenticated(busy));
        });
  }

  /** Blocking. The CONNECTs gathered by {@link #connects}: one push-subscribe call for all their bindings. */
  private List<List<AuthenticatedBinding>> authenticateAll(List<Authenticate> gathered) {
    List<List<Binding>> bindings = new ArrayList<>(gathered.size());
    for (Authenticate authenticate : gathered) {
      bindings.add(authenticate.bindings());
    }
    List<List<DeviceAuthenticator.Checked>> checked = authenticator.authenticateAll(bindings);
    List<List<AuthenticatedBinding>> results = new ArrayList<>(gathered.size());
    for (int i = 0; i < gathered.size(); i++) {
      Authenticate authenticate = gathered.get(i);
      List<AuthenticatedBinding> connectResults = new ArrayList<>(authenticate.bindings().size());
      for (DeviceAuthenticator.Checked one : checked.get(i)) {
        connectResults.add(
            withFanoutStart(one.binding(), one.registeredAtMs(), authenticate.bindings(), authenticate.platform()));
      }
      results.add(connectResults);
    }
    return results;
  }

  /**
   * Blocking. Where an accepted binding starts in its app's fan-out log: the client's position when the log can
   * continue it (recovered), else the log's top (not recovered); without a position, just before the first entry
   * since the device registered. A log that cannot be read makes the binding SERVER_UNAVAILABLE.
   */
  private AuthenticatedBinding withFanoutStart(
      AuthenticatedBinding checked, long registeredAtMs, List<Binding> requested, String connectPlatform) {
    BindingResult result = checked.result();
    if (result.getResult() != ConnectResult.ACCEPTED.code()) {
      return checked;
    }
    Binding binding =
        requested.stream().filter(b -> b.getRegId().equals(result.getRegId())).findFirst().orElseThrow();
    String platform = checked.platform() == null || checked.platform().isEmpty() ? connectPlatform : checked.platform();
    try {
      FanoutPage page;
      // A client without a position of its own (MQTT, a reinstalled app) continues where its last connection left.
      Optional<FanoutPosition> kept =
          binding.hasFanoutPosition()
              ? Optional.of(
                  new FanoutPosition(binding.getFanoutPosition().getOffset(), binding.getFanoutPosition().getEpoch()))
              : devices.fanoutPosition(result.getAppId(), result.getRegId());
      if (kept.isPresent()) {
        page = fanoutLog.read(result.getAppId(), kept.get(), 0, 0);
      } else {
        // push-subscribe tells when the device registered; an older one does not, and the device is read here.
        long since =
            registeredAtMs > 0
                ? registeredAtMs
                : devices.find(result.getAppId(), result.getRegId()).map(Device::createdAtMs).orElse(0L);
        page = fanoutLog.read(result.getAppId(), null, since, 0);
      }
      FanoutPosition start = new FanoutPosition(page.from(), page.epoch());
      BindingResult withPosition =
          result.toBuilder()
              .setRecovered(page.recovered())
              .setFanoutPosition(StreamPosition.newBuilder().setOffset(start.offset()).setEpoch(start.epoch()))
              .build();
      if (binding.hasFanoutPosition() && !page.recovered()) {
        metrics.fanoutNotRecovered();
      }
      Map<String, FanoutPosition> groupStarts = new HashMap<>();
      BindingResult.Builder withGroups = withPosition.toBuilder();
      groupStarts(result.getAppId(), result.getRegId(), binding, groupStarts, withGroups);
      return new AuthenticatedBinding(withGroups.build(), platform, start, groupStarts);
    } catch (RuntimeException e) {
      log.warn("fan-out log of {} unreadable: {}", result.getAppId(), e.toString());
      return new AuthenticatedBinding(
          result.toBuilder()
              .setResult(ConnectResult.SERVER_UNAVAILABLE.code())
              .setReason("fan-out log unavailable")
              .build(),
          platform,
          null);
    }
  }

  /**
   * Blocking. Where each of the device's groups starts: the client's position in it when the group's log can
   * continue it, else (none sent, or not recoverable) the group's newest message.
   */
  private void groupStarts(
      String appId,
      String regId,
      Binding binding,
      Map<String, FanoutPosition> starts,
      BindingResult.Builder result) {
    Map<String, StreamPosition> sent = new HashMap<>();
    for (GroupPosition position : binding.getGroupPositionsList()) {
      sent.put(position.getGroupId(), position.getPosition());
    }
    for (String groupId : groups.groupsOf(appId, regId)) {
      String channel = FanoutEntry.groupChannel(groupId);
      StreamPosition client = sent.get(groupId);
      FanoutPage page =
          client == null
              ? null
              : fanoutLog.read(appId, channel, new FanoutPosition(client.getOffset(), client.getEpoch()), 0, 0);
      FanoutPosition start =
          page != null && page.recovered()
              ? new FanoutPosition(page.from(), page.epoch())
              : page != null ? new FanoutPosition(page.top(), page.epoch()) : fanoutLog.top(appId, channel);
      starts.put(groupId, start);
      result.addGroups(
          GroupStart.newBuilder()
              .setGroupId(groupId)
              .setRecovered(client == null || page.recovered())
              .setPosition(StreamPosition.newBuilder().setOffset(start.offset()).setEpoch(start.epoch())));
    }
  }

  // ------------------------------------------------------------------ registry and routes

  /** A Bind and the connection asking, an element of {@link #binds}. */
  private record BindRequest(DeviceConnection connection, Bind bind) {}

  /**
   * Blocking. Registers the bindings here and writes their routes in one pipelined batch per route TTL (a reconnect
   * storm binds thousands at once). Throws when the routes cannot be written; the sessions retry.
   */
  private List<Boolean> bindAll(List<BindRequest> requests) {
    for (BindRequest request : requests) {
      Bind bind = request.bind();
      LocalBinding previous =
          registry.put(new LocalBinding(request.connection(), bind.appId(), bind.regId(), bind.platform()));
      if (previous != null && previous.connection() != request.connection()) {
        previous
            .connection()
            .execute(
                session ->
                    session.kick(
                        bind.regId(), DisconnectReason.SESSION_TAKEN_OVER, "taken over by a newer connection"));
      }
    }
    NodeAddress self = node.address();
    Map<java.time.Duration, List<BindRequest>> byTtl = new LinkedHashMap<>();
    for (BindRequest request : requests) {
      byTtl.computeIfAbsent(request.bind().routeTtl(), ttl -> new ArrayList<>()).add(request);
    }
    byTtl.forEach(
        (ttl, sameTtl) -> {
          List<Route> written = new ArrayList<>(sameTtl.size());
          for (BindRequest request : sameTtl) {
            Bind bind = request.bind();
            written.add(
                new Route(
                    bind.regId(), bind.appId(), self.nodeId(), self.dubboHost(), self.dubboPort(), clock.millis()));
          }
          List<Optional<Route>> replaced = routes.putAll(written, ttl);
          for (int i = 0; i < sameTtl.size(); i++) {
            replaced
                .get(i)
                .filter(old -> !old.nodeId().equals(self.nodeId()))
                .filter(old -> !(old.dubboHost().equals(self.dubboHost()) && old.dubboPort() == self.dubboPort()))
                .ifPresent(remote::kickTakenOver);
          }
        });
    List<Boolean> done = new ArrayList<>(requests.size());
    for (BindRequest request : requests) {
      if (!registry.holds(request.bind().regId(), request.connection())) {
        // The device left (or moved) while the route was being written: do not leave a stale route behind.
        routes.remove(request.bind().regId(), self.nodeId());
      }
      done.add(Boolean.TRUE);
    }
    return done;
  }

  /**
   * Blocking. A route that vanished (expired, Redis restarted) is written again; one that names another node means the
   * device moved: its binding here is kicked.
   */
  private void renew(DeviceConnection connection, RenewRoutes renew) {
    String nodeId = node.nodeId();
    NodeAddress self = node.address();
    renew
        .appIdByRegId()
        .forEach(
            (regId, appId) -> {
              try {
                if (!registry.holds(regId, connection) || routes.renew(regId, nodeId, renew.routeTtl())) {
                  return;
                }
                Optional<Route> current = routes.find(regId);
                if (current.isEmpty()) {
                  routes.put(
                      new Route(regId, appId, nodeId, self.dubboHost(), self.dubboPort(), clock.millis()),
                      renew.routeTtl());
                } else if (!current.get().nodeId().equals(nodeId)) {
                  String other = current.get().nodeId();
                  connection.execute(
                      session -> session.kick(regId, DisconnectReason.SESSION_TAKEN_OVER, "taken over on node " + other));
                }
              } catch (RuntimeException e) {
                log.debug("route of {} not renewed: {}", regId, e.toString());
              }
            });
  }

  private void unbind(DeviceConnection connection, Unbind unbind) {
    if (registry.remove(unbind.regId(), unbind.appId(), connection) && node.isStarted()) {
      String nodeId = node.nodeId();
      blocking.submit("route removal of " + unbind.regId(), () -> routes.remove(unbind.regId(), nodeId));
    }
  }

  // ------------------------------------------------------------------ fan-out log

  /** Blocking. A page of the log, with the contents of the entries that are for this device. */
  private Function<DeviceSession, List<SessionAction>> readFanout(ReadFanout read) {
    boolean group = !read.channel().isEmpty();
    Optional<Device> found = group ? Optional.empty() : devices.find(read.appId(), read.regId());
    FanoutPage page = fanoutLog.read(read.appId(), read.channel(), read.after(), 0, read.limit());
    Map<Long, Delivery> contents = new HashMap<>();
    if ((group || found.isPresent()) && !page.entries().isEmpty()) {
      long now = clock.millis();
      Set<String> msgIds = new LinkedHashSet<>();
      for (FanoutEntry entry : page.entries()) {
        if (!entry.isExpired(now) && isFor(entry, found, read)) {
          msgIds.add(entry.msgId());
        }
      }
      Map<String, StoredMessage> messagesById = msgIds.isEmpty() ? Map.of() : messages.findAll(msgIds);
      for (FanoutEntry entry : page.entries()) {
        StoredMessage message = msgIds.contains(entry.msgId()) ? messagesById.get(entry.msgId()) : null;
        if (message != null && !message.isExpired(now)) {
          contents.put(entry.offset(), StoredDeliveries.fanoutContent(message, entry));
        }
      }
    }
    log.debug("fan-out page of {} for {}: {} of {} entries", read.appId(), read.regId(), contents.size(), page.entries().size());
    return session -> session.fanoutRead(read.regId(), read.channel(), page, contents);
  }

  /** A group's message is for every member but its sender; an app-wide one for the device's platform and tags. */
  private static boolean isFor(FanoutEntry entry, Optional<Device> device, ReadFanout read) {
    if (!read.channel().isEmpty()) {
      return !entry.sender().equals(read.regId());
    }
    String platform =
        read.platform() != null && !read.platform().isEmpty() ? read.platform() : device.get().platform();
    return entry.matches(platform, device.get().tags() == null ? Set.of() : device.get().tags());
  }

  // ------------------------------------------------------------------ upstream messages

  private void sendUpstream(DeviceConnection connection, SendUpstream send) {
    UpstreamMessage message = send.message();
    int messageId = send.messageId();
    offLoop(
        connection,
        "upstream " + message.kind() + " from " + send.regId(),
        () -> {
          GroupSendResult result = upstream(send.appId(), send.regId(), message);
          return session ->
              session.published(
                  messageId, result.getCode().code(), result.getReason(), result.getMsgId(), result.getSeq());
        },
        session ->
            session.published(
                messageId, GroupResultCode.UNAVAILABLE.code(), "group service unavailable", null, 0));
  }

  /** Blocking: push-group over Dubbo. */
  private GroupSendResult upstream(String appId, String regId, UpstreamMessage message) {
    return switch (message.kind()) {
      case GROUP -> groupService.send(appId, message.target(), regId, message.payload(), message.ttlSeconds());
      case SINGLE -> {
        String to = message.target();
        if (to.startsWith(SessionHandler.LEGACY_TOKEN_PREFIX)) {
          Optional<String> device = devices.resolveLegacyToken(to.substring(SessionHandler.LEGACY_TOKEN_PREFIX.length()));
          if (device.isEmpty()) {
            yield GroupSendResult.refused(GroupResultCode.RECIPIENT_NOT_FOUND, "no device with that token");
          }
          to = device.get();
        }
        yield groupService.sendSingle(appId, regId, to, message.payload(), message.ttlSeconds());
      }
      case JOIN -> {
        List<String> added = groupService.join(appId, message.target(), List.of(regId));
        yield added == null
            ? GroupSendResult.refused(GroupResultCode.GROUP_NOT_FOUND, "no group " + message.target())
            : new GroupSendResult(GroupResultCode.OK, "", message.target(), 0, null, clock.millis());
      }
      case LEAVE ->
          groupService.leave(appId, message.target(), regId)
              ? new GroupSendResult(GroupResultCode.OK, "", message.target(), 0, null, clock.millis())
              : GroupSendResult.refused(GroupResultCode.NOT_A_MEMBER, "not a member of " + message.target());
    };
  }

  // ------------------------------------------------------------------ attempts

  private void countAttempts(DeviceConnection connection, List<InFlightDelivery> entries) {
    List<PendingEntry> pending = new ArrayList<>(entries.size());
    for (InFlightDelivery entry : entries) {
      pending.add(new PendingEntry(entry.regId(), entry.msgId()));
    }
    offLoop(
        connection,
        "redelivery attempts",
        () -> {
          List<Integer> attempts = messages.countAttempts(pending);
          return session -> session.attemptsCounted(entries, attempts);
        },
        session -> session.attemptsCounted(entries, null));
  }

  private static Delivery forDevice(Delivery content, String regId) {
    if (regId.equals(content.getRegId())) {
      return content;
    }
    Delivery copy = StoredDeliveries.copy(content);
    copy.setRegId(regId);
    return copy;
  }
}
