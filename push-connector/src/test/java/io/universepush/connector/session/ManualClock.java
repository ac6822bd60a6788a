package io.universepush.connector.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told: time rules are tested by advancing it, never by waiting. */
public final class ManualClock extends Clock {
  private long millis;

  public ManualClock(long startMillis) {
    this.millis = startMillis;
  }

  public void advance(Duration by) {
    millis += by.toMillis();
  }

  public void advanceTo(long atMillis) {
    millis = Math.max(millis, atMillis);
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
