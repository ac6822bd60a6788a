package io.universepush.store.fanout;

/**
 * A place in an app's fan-out log: the offset of the last entry counted, in one epoch of the log. Offsets are
 * consecutive from 1 within an epoch; a new epoch starts when the log is lost or reset, and offsets of two epochs say
 * nothing about each other.
 */
public record FanoutPosition(long offset, String epoch) {

  public FanoutPosition {
    if (offset < 0) {
      throw new IllegalArgumentException("fan-out offset must not be negative: " + offset);
    }
    epoch = epoch == null ? "" : epoch;
  }

  public boolean sameEpoch(String other) {
    return epoch.equals(other);
  }

  public FanoutPosition at(long newOffset) {
    return new FanoutPosition(newOffset, epoch);
  }
}
