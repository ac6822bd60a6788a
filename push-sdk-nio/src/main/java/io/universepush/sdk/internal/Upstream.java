package io.universepush.sdk.internal;

import io.universepush.sdk.PublishFuture;
import java.nio.charset.Charset;
import java.util.List;

/**
 * The upstream calls of both clients ({@code sendToGroup}, {@code sendTo}, {@code joinGroup}, {@code leaveGroup}):
 * checks the arguments on the app's thread, picks the binding, and hands the message to the connection. Not public
 * API.
 */
public final class Upstream {
  private static final Charset UTF_8 = Charset.forName("UTF-8");

  private Upstream() {}

  /**
   * @param connection the client's connection, null before {@code connect()}: the message then fails at once
   * @param appId the sending binding's app id; null for the client's only binding
   * @param jsonPayload the message (UTF-8 JSON on the wire); null for joins and leaves
   * @throws IllegalArgumentException when no binding has {@code appId}, the target is empty, the payload of a message
   *     is missing or the ttl is out of range
   * @throws IllegalStateException when {@code appId} is null and the client has several bindings
   */
  public static PublishFuture publish(
      ClientConfig config,
      ClientConnection connection,
      PendingPublish.Kind kind,
      String appId,
      String target,
      String jsonPayload,
      long ttlSeconds) {
    boolean message = kind == PendingPublish.Kind.GROUP || kind == PendingPublish.Kind.SINGLE;
    if (message && jsonPayload == null) {
      throw new IllegalArgumentException("jsonPayload is null");
    }
    BindingCredentials binding = binding(config.bindings(), appId);
    PendingPublish pending =
        new PendingPublish(
            kind,
            binding.appId(),
            binding.regId(),
            target,
            message ? jsonPayload.getBytes(UTF_8) : null,
            message ? ttlSeconds : 0);
    if (connection == null) {
      pending.unanswered("not connected (client not started: call connect())", false);
      return pending;
    }
    return connection.submit(pending);
  }

  private static BindingCredentials binding(List<BindingCredentials> bindings, String appId) {
    if (appId == null) {
      if (bindings.size() != 1) {
        throw new IllegalStateException(
            "the client has " + bindings.size() + " bindings: name the app id the message is from");
      }
      return bindings.get(0);
    }
    for (BindingCredentials binding : bindings) {
      if (binding.appId().equals(appId)) {
        return binding;
      }
    }
    throw new IllegalArgumentException("no binding for app " + appId);
  }
}
