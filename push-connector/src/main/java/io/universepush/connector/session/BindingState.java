package io.universepush.connector.session;

import io.universepush.store.fanout.FanoutPosition;

/**
 * One (app, device) pair a session carries, and where it stands: its route, its pending set, its place in the app's
 * fan-out log. Touched only by its session.
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

  /** Follows the app's fan-out log (version 3); legacy bindings take live fan-out only. */
  final boolean followsLog;
  /** The log's epoch this binding counts in. */
  String epoch = "";
  /** Every entry up to here is queued, written, or was not for this device. */
  long position;
  /** The offset of the last fan-out push queued for this binding (its next push's previous offset). */
  long lastPushOffset;
  /** The highest offset a live event announced: the log holds at least that much. */
  long announcedOffset;
  /** Entries after {@link #position} are to be read from the log before live ones are taken again. */
  boolean catchingUp;
  boolean readingFanout;

  private BindingState(String appId, String regId, String platform, boolean followsLog) {
    this.appId = appId;
    this.regId = regId;
    this.platform = platform;
    this.followsLog = followsLog;
  }

  static BindingState legacy(String appId, String regId) {
    return new BindingState(appId, regId, null, false);
  }

  /** A version-3 binding starting at {@code start} in the log, with everything after it to be caught up. */
  static BindingState following(String appId, String regId, String platform, FanoutPosition start) {
    BindingState binding = new BindingState(appId, regId, platform, true);
    binding.epoch = start.epoch();
    binding.position = start.offset();
    binding.lastPushOffset = start.offset();
    binding.announcedOffset = start.offset();
    binding.catchingUp = true;
    return binding;
  }

  FanoutPosition fanoutPosition() {
    return new FanoutPosition(position, epoch);
  }

  @Override
  public String toString() {
    return appId + "/" + regId;
  }
}
