package io.universepush.connector.session;

import io.universepush.protocol.DisconnectReason;
import io.universepush.protocol.Frame;
import io.universepush.protocol.proto.Binding;
import io.universepush.rpc.connector.Delivery;
import io.universepush.store.fanout.FanoutPosition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link DeviceSession} asks of the connection and of the cluster. The connection carries out the first kind
 * on its event loop; the second runs off it and comes back as a command ({@code authenticated}, {@code pendingRead},
 * ...). Nothing here is Netty, Redis or Dubbo: those are the adapter's.
 */
public sealed interface SessionAction {

  // --- to the client

  /** A control frame (CONNECT_ACK, the PING answer, a legacy SUB answer). */
  record SendFrame(Frame frame) implements SessionAction {}

  /**
   * A push to one binding. {@code settleOnWrite}: a legacy client, which never acks, has it once it is written (at most
   * once); otherwise the ack settles it.
   */
  record SendPush(
      Delivery content, String regId, int attempt, long fanoutOffset, long fanoutPrevOffset, boolean settleOnWrite)
      implements SessionAction {}

  /**
   * Ends the connection: a DISCONNECT with the reason first, or none when {@code reason} is null. {@code redirect}:
   * the connectors ("host:port", best first) the client should reconnect to, in the DISCONNECT of a version-3 client.
   */
  record Close(DisconnectReason reason, String text, List<String> redirect) implements SessionAction {
    public Close {
      redirect = redirect == null ? List.of() : List.copyOf(redirect);
    }

    public Close(DisconnectReason reason, String text) {
      this(reason, text, List.of());
    }
  }

  /** The client sent no CONNECT or SUB in time (counted; a {@link Close} follows). */
  record AuthTimedOut() implements SessionAction {}

  // --- to the cluster (blocking: off the event loop)

  /** Check a CONNECT's bindings; answered by {@link DeviceSession#authenticated}. */
  record Authenticate(List<Binding> bindings, String platform) implements SessionAction {}

  /** universe_push's SUB; answered by {@link DeviceSession#legacySubscribed}. */
  record SubscribeLegacy(String uid, Frame request) implements SessionAction {}

  /**
   * Make this node the device's: the local registry entry (taking over an older session here or elsewhere) and the
   * route with its TTL; answered by {@link DeviceSession#bound} or {@link DeviceSession#bindFailed}.
   */
  record Bind(String appId, String regId, String platform, Duration routeTtl) implements SessionAction {}

  /** Heartbeat: renew the routes of these bindings (reg id to app id). */
  record RenewRoutes(Map<String, String> appIdByRegId, Duration routeTtl) implements SessionAction {}

  /**
   * The binding leaves this session at this fan-out position: every entry up to it that was for the device is acked.
   * Kept with the device for clients that keep none of their own.
   */
  record SavePosition(String appId, String regId, FanoutPosition position) implements SessionAction {}

  /** The binding left this session: its registry entry and route go, if they still name this session. */
  record Unbind(String appId, String regId) implements SessionAction {}

  /**
   * At most {@code limit} of the binding's pending messages, oldest first, leaving out {@code skip} (written, queued
   * or being settled here); answered by {@link DeviceSession#pendingRead} or {@link DeviceSession#pendingReadFailed}.
   */
  record ReadPending(String appId, String regId, int limit, Set<String> skip) implements SessionAction {}

  /**
   * One channel of the binding's app's fan-out log ("" its own, or a group's) after {@code after}, filtered for the
   * device; answered by {@link DeviceSession#fanoutRead} or {@link DeviceSession#fanoutReadFailed}.
   */
  record ReadFanout(String appId, String regId, String platform, String channel, FanoutPosition after, int limit)
      implements SessionAction {}

  /** Hand an upstream message of a bound device to push-group; answered by {@link DeviceSession#published}. */
  record SendUpstream(int messageId, String appId, String regId, UpstreamMessage message) implements SessionAction {}

  /** Count one more attempt of each persisted push in the store; answered by {@link DeviceSession#attemptsCounted}. */
  record CountAttempts(List<InFlightDelivery> entries) implements SessionAction {}

  /** These deliveries reached the device; answered by {@link DeviceSession#settled} once the store has them. */
  record Settle(List<Receipt> receipts) implements SessionAction {}

  /** Dropped unwritten: past their expiry. */
  record Expired(List<Delivery> deliveries) implements SessionAction {}

  /** Given up after {@code attempts} writes. */
  record Failed(Delivery delivery, String regId, int attempts) implements SessionAction {}

  /**
   * A delivery to one binding that reached the device.
   *
   * @param persisted a unicast push with a pending entry, which the settlement removes
   */
  record Receipt(String regId, String msgId, boolean persisted) {}
}
