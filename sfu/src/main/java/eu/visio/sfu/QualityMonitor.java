package eu.visio.sfu;

/**
 * Grades one participant's connection every {@link #INTERVAL_NANOS}, from what the SFU sees of both
 * directions: loss on what it publishes (our reception statistics), loss the subscriber reports on
 * what it receives (its receiver reports), the round-trip time to it, and whether its downlink
 * forced tracks to be paused. The score starts at 5 and loses points for each (loss weighs most, as
 * it does in the E-model behind MOS), and the grade only changes when the score crosses a threshold
 * by a margin, so a one-off burst does not make the client's indicator flicker. A publisher from
 * which nothing arrived for the whole interval is {@link ConnectionQuality#LOST}.
 */
final class QualityMonitor {
  static final long INTERVAL_NANOS = 2_000_000_000L;
  private static final double HYSTERESIS = 0.2;

  private final Participant participant;
  private long lastCheck = Long.MIN_VALUE / 2;
  private long packetsAtCheck;
  private ConnectionQuality quality = ConnectionQuality.EXCELLENT;
  private double score = 5;

  QualityMonitor(Participant participant) {
    this.participant = participant;
  }

  ConnectionQuality quality() {
    return quality;
  }

  double score() {
    return score;
  }

  /** Re-grades when an interval has passed; returns true when the grade changed. */
  boolean check(long nowNanos) {
    if (nowNanos - lastCheck < INTERVAL_NANOS) {
      return false;
    }
    boolean first = lastCheck == Long.MIN_VALUE / 2;
    lastCheck = nowNanos;
    double upLoss = 0;
    long packets = 0;
    boolean publishes = false;
    for (PublishedTrack t : participant.publisher().trackArray()) {
      publishes = true;
      upLoss = Math.max(upLoss, t.lossSinceLastCheck());
      packets += t.counters().packets();
    }
    long arrived = packets - packetsAtCheck;
    packetsAtCheck = packets;
    double downLoss = 0;
    long rtt = 0;
    boolean constrained = false;
    Subscriber sub = participant.subscriber();
    for (DownTrack d : sub.downTracks()) {
      if (d.started()) {
        downLoss = Math.max(downLoss, d.lastFractionLost() / 256.0);
        rtt = Math.max(rtt, d.rttNanos());
      }
      constrained |= sub.paused(d);
    }
    double s = 5 - 25 * Math.max(upLoss, downLoss); // 4% loss costs a grade
    s -= Math.max(0, rtt / 1e6 - 200) / 200; // each 200 ms above 200 ms costs one point
    s -= constrained ? 1.2 : 0;
    score = Math.clamp(s, 1, 5);
    ConnectionQuality next;
    if (publishes && arrived == 0 && !first) {
      next = ConnectionQuality.LOST;
    } else {
      next = ConnectionQuality.of(score);
      if (quality != ConnectionQuality.LOST && next != quality) {
        // Judge the score as if it were a margin closer to the current grade: within the margin
        // of a threshold the grade stays.
        double margin = next.compareTo(quality) > 0 ? -HYSTERESIS : HYSTERESIS;
        next = ConnectionQuality.of(score + margin);
      }
    }
    if (next == quality) {
      return false;
    }
    quality = next;
    return true;
  }
}
