package io.universepush.sdk;

/**
 * What a {@link PushClient} tells the app. Every method has an empty default, so an app overrides only what it needs.
 *
 * <p>Calls come from the client's I/O thread, one at a time and in order: each connection attempt starts with
 * {@link #onConnecting()} and ends with exactly one {@link #onDisconnected(String)}, with {@link #onConnected(String)}
 * and any number of {@link #onMessage(PushMessage)} (and {@link #onBindingRejected}, {@link #onFanoutLost},
 * {@link #onGroupMessagesLost}) in
 * between when it succeeds. Return quickly: while a method runs, the client neither reads, acknowledges nor sends heartbeats. Exceptions thrown
 * here are logged; one from {@link #onMessage(PushMessage)} also leaves the push unacknowledged (see there), any other
 * is otherwise ignored.
 */
public interface PushListener {

  /** A connection attempt starts (route lookup, TCP connect, CONNECT). */
  default void onConnecting() {}

  /** The server accepted the credentials. {@code nodeId} names the connector (empty when the server gave none). */
  default void onConnected(String nodeId) {}

  /**
   * The attempt failed or the connection ended. The client reconnects after a back-off delay unless it was closed.
   * Rejections read {@code "rejected: <CONNECT_ACK result name> <server reason>"}.
   */
  default void onDisconnected(String reason) {}

  /**
   * A push, delivered once per message id and binding. The client acknowledges it to the server only when this
   * method returns normally, after recording the id in its {@link DedupStore}; redeliveries of an id already
   * recorded are acknowledged again but not passed here. When this method throws, the push is neither recorded nor
   * acknowledged: the server sends it again later (on this connection or the next) and it comes here again, so an
   * app that throws until it has really handled a push sees it exactly once as handled. Do what must not happen
   * twice (showing a notification) last, once nothing else can throw. A fan-out push moves its binding's
   * {@link FanoutPosition} only once handled too.
   */
  default void onMessage(PushMessage message) {}

  /**
   * The server refused one of the connection's bindings ({@code reason} reads {@code "<result name> <server reason>"},
   * e.g. {@code "BAD_CREDENTIALS unknown token"}) while accepting others: no pushes for that app on this connection.
   * Called right after {@link #onConnected(String)}; the binding is tried again on the next connection.
   */
  default void onBindingRejected(String appId, String regId, String reason) {}

  /**
   * Fan-out pushes (tag and app-wide pushes) sent while this device was away are gone from the server's log: it was
   * trimmed (the device stayed away longer than the log keeps entries) or the log was reset. The app should
   * resynchronise from its own server what such pushes would have told it. Called after {@link #onConnected(String)},
   * once per connection that finds the gap; the client then continues from the server's current position, so the
   * next connection does not report the same gap again.
   */
  default void onFanoutLost(String appId, String regId) {}

  /**
   * Messages of a group sent while this device was away are gone from the group's log (trimmed, or the log reset):
   * the server could not continue from the position the client had for {@code groupId}. Like {@link #onFanoutLost}:
   * called after {@link #onConnected(String)}, once per connection that finds the gap, the client then continues
   * from the group's newest message. The app should fetch the group's history from its own server if it keeps one.
   */
  default void onGroupMessagesLost(String appId, String regId, String groupId) {}
}
