package io.universepush.connector.session;

import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutPosition;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One (app, device) pair a session carries, and where it stands: its route, its pending set, its place in each
 * channel of the app's fan-out log it follows. Touched only by its session.
 */
final class BindingState {
  final String appId;
  final String regId;
  final String platform;

  /** The registry entry and route name this session. */
  boolean bound;
  /** A {@code Bind} is under way. */
  boolean binding;

  /** The pending set may hold messages not queued here: read it once the queue has room. */
  boolean pendingMore = true;
  boolean readingPending;
  long pendingReadAtMs;

  /**
   * The channels it follows, by channel: the app's own (version 3) and its groups'. Legacy bindings follow none and
   * take live app-wide pushes only.
   */
  final Map<String, ChannelState> channels = new LinkedHashMap<>();

  private BindingState(String appId, String regId, String platform) {
    this.appId = appId;
    this.regId = regId;
    this.platform = platform;
  }

  static BindingState legacy(String appId, String regId) {
    return new BindingState(appId, regId, null);
  }

  /**
   * A version-3 binding starting at {@code start} in its app's channel and at {@code groupStarts} in its groups',
   * with everything after each to be caught up.
   */
  static BindingState following(
      String appId, String regId, String platform, FanoutPosition start, Map<String, FanoutPosition> groupStarts) {
    BindingState binding = new BindingState(appId, regId, platform);
    binding.channels.put("", new ChannelState("", start));
    groupStarts.forEach(
        (groupId, position) -> {
          String channel = FanoutEntry.groupChannel(groupId);
          binding.channels.put(channel, new ChannelState(channel, position));
        });
    return binding;
  }

  boolean followsLog() {
    return !channels.isEmpty();
  }

  /** The app's own channel, or null for a legacy binding. */
  ChannelState appChannel() {
    return channels.get("");
  }

  @Override
  public String toString() {
    return appId + "/" + regId;
  }
}
