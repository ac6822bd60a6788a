package io.universepush.sdk;

import io.universepush.sdk.internal.ClientConfig;
import io.universepush.sdk.internal.ClientConnection;
import io.universepush.sdk.internal.PendingPublish;
import io.universepush.sdk.internal.Upstream;

/**
 * What a device sends upstream over its connection: group messages, single messages, joining and leaving groups.
 * Shared by the NIO and AIO clients ({@link PushClient}, {@code AioPushClient}).
 */
public abstract class GroupMessaging {

  /**
   * Sends a message to a group this device is a member of (PUBLISH sub-signal 1), from the client's only binding.
   * Every other member gets it as a {@link io.universepush.sdk.PushMessage} with {@code groupId()}, {@code from()}
   * and the group's {@code seq()}; the sender does not. The future completes with the server's answer (its {@code
   * seq()} and {@code msgId()} when accepted, else the refusal's code, e.g. {@code NOT_A_MEMBER}) or fails with a
   * {@link io.universepush.sdk.PublishException} when there is no answer: not connected (failed at once, never
   * queued for a later connection) or the connection ended first. Callable from any thread.
   *
   * @param ttlSeconds how long the message may wait for offline members; 0: online members only
   * @throws IllegalStateException when the client has several bindings (use the overload with the app id)
   */
  public PublishFuture sendToGroup(String groupId, String jsonPayload, long ttlSeconds) {
    return sendToGroup(null, groupId, jsonPayload, ttlSeconds);
  }

  /** {@link #sendToGroup(String, String, long)} from the binding of {@code appId}. */
  public PublishFuture sendToGroup(String appId, String groupId, String jsonPayload, long ttlSeconds) {
    return publish(PendingPublish.Kind.GROUP, appId, groupId, jsonPayload, ttlSeconds);
  }

  /**
   * Sends a message to one device of the same app (PUBLISH sub-signal 2), named by its reg id or alias; it gets it as
   * a push whose {@code from()} is this device. Answered as {@link #sendToGroup(String, String, long)} ({@code
   * RECIPIENT_NOT_FOUND} for an unknown one).
   */
  public PublishFuture sendTo(String regIdOrAlias, String jsonPayload, long ttlSeconds) {
    return sendTo(null, regIdOrAlias, jsonPayload, ttlSeconds);
  }

  /** {@link #sendTo(String, String, long)} from the binding of {@code appId}. */
  public PublishFuture sendTo(String appId, String regIdOrAlias, String jsonPayload, long ttlSeconds) {
    return publish(PendingPublish.Kind.SINGLE, appId, regIdOrAlias, jsonPayload, ttlSeconds);
  }

  /**
   * Makes this device a member of a group (PUBLISH sub-signal 3); its messages from then on follow. Answered as
   * {@link #sendToGroup(String, String, long)} ({@code GROUP_NOT_FOUND} for an unknown group).
   */
  public PublishFuture joinGroup(String groupId) {
    return joinGroup(null, groupId);
  }

  /** {@link #joinGroup(String)} for the binding of {@code appId}. */
  public PublishFuture joinGroup(String appId, String groupId) {
    return publish(PendingPublish.Kind.JOIN, appId, groupId, null, 0);
  }

  /**
   * Ends this device's membership of a group (PUBLISH sub-signal 4); once accepted the client forgets its position
   * in the group. Answered as {@link #sendToGroup(String, String, long)} ({@code NOT_A_MEMBER}).
   */
  public PublishFuture leaveGroup(String groupId) {
    return leaveGroup(null, groupId);
  }

  /** {@link #leaveGroup(String)} for the binding of {@code appId}. */
  public PublishFuture leaveGroup(String appId, String groupId) {
    return publish(PendingPublish.Kind.LEAVE, appId, groupId, null, 0);
  }

  private PublishFuture publish(
      PendingPublish.Kind kind, String appId, String target, String jsonPayload, long ttlSeconds) {
    return Upstream.publish(config(), currentConnection(), kind, appId, target, jsonPayload, ttlSeconds);
  }

  /** The connection of the current attempt, or null. Not public API. */
  protected abstract ClientConnection currentConnection();

  /** The client's settings. Not public API. */
  protected abstract ClientConfig config();
}
