package io.universepush.sdk;

import java.util.Collections;
import java.util.Map;

/**
 * Keeps, per binding (app id, reg id) and channel, a {@link FanoutPosition}: how far the app has processed that
 * channel's log without a gap. A binding follows its app's channel ({@link #APP_CHANNEL}, the log of tag and app-wide
 * pushes) and one channel per group the device is a member of (named by the group id, offsets are the group's message
 * sequence). The client sends the positions on CONNECT so that the connector sends only the entries after them, and
 * tells the app through {@link PushListener#onFanoutLost} or {@link PushListener#onGroupMessagesLost} when the server
 * could not. An Android app that wants positions to survive restarts gives the client a {@link FilePositionStore}; the
 * default is a {@link MemoryPositionStore} per client, which survives reconnects only.
 *
 * <p>The two-argument methods are the app's channel. The channel methods have defaults so that stores written before
 * groups keep compiling: those keep the app's channel and no group positions, so each group starts at its newest
 * message on every connection. {@link MemoryPositionStore} and {@link FilePositionStore} keep every channel.
 *
 * <p>Implementations are thread-safe.
 */
public interface PositionStore {
  /** The channel name of the app's own fan-out log; any other channel is a group id. */
  String APP_CHANNEL = "";

  /** The binding's position in its app's channel, or null when it has none yet. */
  FanoutPosition position(String appId, String regId);

  /** Replaces the binding's position in its app's channel. */
  void savePosition(String appId, String regId, FanoutPosition position);

  /** The binding's position in {@code channel} ({@link #APP_CHANNEL} or a group id), or null when it has none. */
  default FanoutPosition position(String appId, String regId, String channel) {
    return APP_CHANNEL.equals(channel) ? position(appId, regId) : null;
  }

  /** Replaces the binding's position in {@code channel} ({@link #APP_CHANNEL} or a group id). */
  default void savePosition(String appId, String regId, String channel, FanoutPosition position) {
    if (APP_CHANNEL.equals(channel)) {
      savePosition(appId, regId, position);
    }
  }

  /** Forgets the binding's position in a group it is no longer a member of; nothing when there is none. */
  default void forgetGroup(String appId, String regId, String groupId) {}

  /** The binding's group positions held, by group id (never the app's channel); empty when there are none. */
  default Map<String, FanoutPosition> groupPositions(String appId, String regId) {
    return Collections.emptyMap();
  }
}
