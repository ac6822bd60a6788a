package io.universepush.sdk;

/**
 * A binding's position in its app's fan-out log (the log of tag and app-wide pushes): the offset of the last entry
 * counted, and the epoch of the log that offset belongs to. Offsets of different epochs are unrelated: the epoch
 * changes when the server loses or resets the log. Immutable.
 */
public final class FanoutPosition {
  private final long offset;
  private final String epoch;

  /**
   * @param offset the last entry counted, 0 before the first
   * @param epoch the log's epoch, as the server named it
   * @throws IllegalArgumentException when the offset is negative or the epoch null
   */
  public FanoutPosition(long offset, String epoch) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    if (epoch == null) {
      throw new IllegalArgumentException("epoch is null");
    }
    this.offset = offset;
    this.epoch = epoch;
  }

  public long offset() {
    return offset;
  }

  public String epoch() {
    return epoch;
  }

  /** The same epoch at another offset. */
  public FanoutPosition withOffset(long newOffset) {
    return newOffset == offset ? this : new FanoutPosition(newOffset, epoch);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FanoutPosition)) {
      return false;
    }
    FanoutPosition p = (FanoutPosition) o;
    return offset == p.offset && epoch.equals(p.epoch);
  }

  @Override
  public int hashCode() {
    return (int) (offset ^ (offset >>> 32)) * 31 + epoch.hashCode();
  }

  @Override
  public String toString() {
    return offset + "@" + epoch;
  }
}
