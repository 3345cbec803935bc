package eu.visio.meet.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand; it starts with nanoseconds, which the store must not keep. */
final class TestClock extends Clock {
  static final Instant START = Instant.parse("2026-11-28T10:00:00.123456789Z");

  private volatile Instant now = START;

  void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
