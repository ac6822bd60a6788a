package io.universepush.connector.session;

import io.universepush.store.fanout.FanoutPosition;

/**
 * Where one binding stands in one channel of its app's fan-out log: the app's own (tag and app-wide pushes) or one
 * of its groups. Touched only by its session.
 */
final class ChannelState {
  /** Empty: the app's own channel; otherwise a group's ({@code group:<id>}). */
  final String channel;
  /** The log's epoch this binding counts in. */
  final String epoch;
  /** Every entry up to here is queued, written, or was not for this device. */
  long position;
  /** The offset of the last push queued from this channel (its next push's previous offset). */
  long lastPushOffset;
  /** The highest offset a live event announced: the log holds at least that much. */
  long announcedOffset;
  /** Entries after {@link #position} are to be read from the log before live ones are taken again. */
  boolean catchingUp = true;
  boolean reading;

  ChannelState(String channel, FanoutPosition start) {
    this.channel = channel;
    this.epoch = start.epoch();
    this.position = start.offset();
    this.lastPushOffset = start.offset();
    this.announcedOffset = start.offset();
  }

  FanoutPosition position() {
    return new FanoutPosition(position, epoch);
  }

  @Override
  public String toString() {
    return (channel.isEmpty() ? "app" : channel) + "@" + position;
  }
}
