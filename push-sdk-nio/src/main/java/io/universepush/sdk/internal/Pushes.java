package io.universepush.sdk.internal;

import io.universepush.protocol.proto.Push;
import io.universepush.sdk.AndroidOptions;
import io.universepush.sdk.IosOptions;
import io.universepush.sdk.PushMessage;

/** Turns the wire's Push into the app's {@link PushMessage}. Not public API. */
final class Pushes {
  private Pushes() {}

  static PushMessage toMessage(Push push, String appId, String regId) {
    IosOptions ios = null;
    if (push.hasIos()) {
      io.universepush.protocol.proto.IosOptions options = push.getIos();
      ios =
          new IosOptions(
              options.getSound(),
              options.hasBadge() ? Integer.valueOf(options.getBadge()) : null,
              options.getProduction(),
              options.getExtrasMap());
    }
    AndroidOptions android = push.hasAndroid() ? new AndroidOptions(push.getAndroid().getExtrasMap()) : null;
    return new PushMessage(
        push.getMsgId(),
        appId,
        regId,
        push.getPayload().toByteArray(),
        push.getTitle(),
        push.getAlert(),
        push.getExtrasMap(),
        push.getExpiresAtMs(),
        push.getSentAtMs(),
        push.getAttempt(),
        push.getFanoutOffset(),
        ios,
        android,
        push.getGroupId(),
        push.getFrom());
  }
}
