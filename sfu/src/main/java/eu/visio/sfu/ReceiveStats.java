package eu.visio.sfu;

import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtp.ExtendedSequence;

/**
 * Reception statistics of one incoming RTP stream, for its receiver-report block (RFC 3550 §6.4.1,
 * Appendix A.3 for loss and A.8 for interarrival jitter).
 */
final class ReceiveStats {
  private final int clockRate;
  private final ExtendedSequence sequence = new ExtendedSequence();
  private long baseSequence;
  private long received;
  private long expectedPrior;
  private long receivedPrior;
  private long expectedAtCheck;
  private long receivedAtCheck;
  private long lastTransit;
  private boolean haveTransit;
  private double jitter;
  private boolean haveSenderReport;
  private int lastSenderReport;
  private long lastSenderReportNanos;

  ReceiveStats(int clockRate) {
    this.clockRate = clockRate;
  }

  /** Records a media packet; returns its extended sequence number. */
  long onPacket(int seq, int rtpTimestamp, long arrivalNanos) {
    boolean first = !sequence.started();
    long ext = sequence.update(seq);
    if (first) {
      baseSequence = ext;
    }
    received++;
    // A.8: transit = arrival (in RTP units) - timestamp; jitter += (|D| - jitter) / 16.
    long arrival = arrivalNanos / 1000 * clockRate / 1_000_000;
    long transit = arrival - (rtpTimestamp & 0xFFFFFFFFL);
    if (haveTransit) {
      long d = Math.abs(transit - lastTransit);
      if (d < clockRate * 10L) { // ignore timestamp jumps (a new source or a huge gap)
        jitter += (d - jitter) / 16.0;
      }
    }
    lastTransit = transit;
    haveTransit = true;
    return ext;
  }

  /** The extended value of {@code seq} (e.g. an RTX packet's OSN), without recording it. */
  long extend(int seq) {
    return sequence.peek(seq);
  }

  void onSenderReport(int compactNtp, long arrivalNanos) {
    haveSenderReport = true;
    lastSenderReport = compactNtp;
    lastSenderReportNanos = arrivalNanos;
  }

  boolean started() {
    return sequence.started();
  }

  long received() {
    return received;
  }

  /**
   * Fraction of the packets expected since the previous call that did not arrive (0 when none were
   * expected); an interval of its own, independent of the receiver reports'.
   */
  double lossSinceLastCheck() {
    long expected = sequence.started() ? sequence.highest() - baseSequence + 1 : 0;
    long expectedInterval = expected - expectedAtCheck;
    long receivedInterval = received - receivedAtCheck;
    expectedAtCheck = expected;
    receivedAtCheck = received;
    if (expectedInterval <= 0) {
      return 0;
    }
    return Math.max(0, expectedInterval - receivedInterval) / (double) expectedInterval;
  }

  /** Builds the report block and starts a new reporting interval. */
  ReportBlock report(int ssrc, long nowNanos) {
    long expected = sequence.highest() - baseSequence + 1;
    long lost = expected - received;
    long expectedInterval = expected - expectedPrior;
    long receivedInterval = received - receivedPrior;
    expectedPrior = expected;
    receivedPrior = received;
    long lostInterval = expectedInterval - receivedInterval;
    int fraction =
        expectedInterval <= 0 || lostInterval <= 0
            ? 0
            : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    int dlsr =
        !haveSenderReport // any clock value, 0 included, can be an arrival time
            ? 0
            : (int)
                Math.min(0xFFFFFFFFL, (nowNanos - lastSenderReportNanos) * 65536 / 1_000_000_000L);
    return new ReportBlock(
        ssrc,
        fraction,
        ReportBlock.clampCumulativeLost(lost),
        sequence.highest32(),
        (int) jitter,
        lastSenderReport,
        dlsr);
  }
}
