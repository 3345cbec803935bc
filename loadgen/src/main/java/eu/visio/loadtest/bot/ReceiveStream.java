package eu.visio.loadtest.bot;

import eu.visio.media.rtp.ExtendedSequence;
import eu.visio.sfu.nack.NackGenerator;

/**
 * One SSRC a bot receives: unique packets (duplicates and retransmissions of what already came are
 * told apart by a bitmap of recent sequence numbers), the receiver-report arithmetic of RFC 3550
 * (A.3 loss, A.8 jitter) and, for video, the NACK and keyframe state a browser keeps.
 */
final class ReceiveStream {
  private static final int WINDOW = 4096;

  final int ssrc;
  final boolean video;
  final int clockRate;
  final ExtendedSequence sequence = new ExtendedSequence();
  final NackGenerator nacks;
  private final long[] seen = new long[WINDOW / 64];
  private long base = -1; // first extended sequence number
  long unique;
  int publisher = -1;

  // RFC 3550 A.3: the previous report's expected and received counts.
  private long expectedPrior;
  private long receivedPrior;
  // RFC 3550 A.8 interarrival jitter, in timestamp units (scaled by 16 as in the RFC's code).
  private long jitterQ4;
  private long lastTransitTicks;
  private boolean transitKnown;

  /** The last sender report: its compact NTP (LSR) and when it came. */
  int lastSr;

  long lastSrAt;

  // Keyframes: none yet, or lost beyond NACK repair.
  boolean needKeyframe = true;
  long lastPliAt;

  // The measurement window: counts at its start.
  long windowHighest = Long.MIN_VALUE;
  long windowUnique;

  // Video in the window: first arrivals by simulcast layer (as the publisher stamped it), frames
  // whose last packet (marker) arrived, and keyframes whose first packet arrived (either by RTX).
  final long[] windowLayerPackets = new long[3];
  long windowFrames;
  long windowKeyframes;

  ReceiveStream(int ssrc, boolean video) {
    this.ssrc = ssrc;
    this.video = video;
    this.clockRate = video ? 90_000 : 48_000;
    this.nacks = video ? new NackGenerator() : null;
  }

  /**
   * Records a media packet (or the original of an RTX one) and returns whether it is new, i.e. not
   * a duplicate of one already received.
   */
  boolean onPacket(int seq, int rtpTimestamp, long now, boolean retransmission) {
    long ext = sequence.update(seq);
    if (base < 0) {
      base = ext;
    }
    if (ext < base || (marked >= 0 && ext <= marked - WINDOW) || isSeen(ext)) {
      return false; // a duplicate, or too old to tell: counted as neither
    }
    markSeen(ext);
    unique++;
    if (!retransmission) {
      jitter(rtpTimestamp, now);
    }
    if (nacks != null) {
      if (retransmission) {
        nacks.onRtx(ext, now);
      } else {
        nacks.onPacket(ext, now);
      }
    }
    return true;
  }

  // The bitmap holds one bit per number in (highest - WINDOW, highest]; moving the top clears the
  // bits of the numbers that left it.
  private long marked = -1;

  private boolean isSeen(long ext) {
    if (marked < 0 || ext > marked) {
      return false;
    }
    int s = (int) (ext % WINDOW);
    return (seen[s >>> 6] & 1L << s) != 0;
  }

  private void markSeen(long ext) {
    if (marked < 0) {
      marked = ext;
    } else if (ext > marked) {
      long from = Math.max(marked + 1, ext - WINDOW + 1);
      for (long e = from; e <= ext; e++) {
        int s = (int) (e % WINDOW);
        seen[s >>> 6] &= ~(1L << s);
      }
      marked = ext;
    }
    int s = (int) (ext % WINDOW);
    seen[s >>> 6] |= 1L << s;
  }

  private void jitter(int rtpTimestamp, long now) {
    long arrivalTicks = now / 1000 * clockRate / 1_000_000;
    long transit = arrivalTicks - (rtpTimestamp & 0xFFFFFFFFL);
    if (transitKnown) {
      long d = Math.abs(transit - lastTransitTicks);
      if (d < clockRate) { // a timestamp jump (layer switch) is not jitter
        jitterQ4 += d - ((jitterQ4 + 8) >> 4);
      }
    }
    lastTransitTicks = transit;
    transitKnown = true;
  }

  /** Packets expected from the first to the highest sequence number. */
  long expected() {
    return base < 0 ? 0 : sequence.highest() - base + 1;
  }

  /**
   * Writes this stream's 24-byte report block at {@code off} (RFC 3550 §6.4.1) and moves the
   * interval counters on.
   */
  int writeReportBlock(byte[] b, int off, long now) {
    long expected = expected();
    long lost = Math.max(0, expected - unique);
    long expectedInterval = expected - expectedPrior;
    long receivedInterval = unique - receivedPrior;
    expectedPrior = expected;
    receivedPrior = unique;
    long lostInterval = expectedInterval - receivedInterval;
    int fraction =
        expectedInterval <= 0 || lostInterval <= 0
            ? 0
            : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    Stamp.putInt(b, off, ssrc);
    Stamp.putInt(b, off + 4, fraction << 24 | (int) Math.min(0x7FFFFF, lost));
    Stamp.putInt(b, off + 8, (int) sequence.highest());
    Stamp.putInt(b, off + 12, (int) (jitterQ4 >> 4));
    Stamp.putInt(b, off + 16, lastSr);
    int dlsr = lastSrAt == 0 ? 0 : (int) ((now - lastSrAt) * 65536 / 1_000_000_000L);
    Stamp.putInt(b, off + 20, dlsr);
    return 24;
  }

  /** Starts the measurement window: remembers where the counts stand. */
  void startWindow() {
    windowHighest = base < 0 ? Long.MIN_VALUE : sequence.highest();
    windowUnique = unique;
    java.util.Arrays.fill(windowLayerPackets, 0);
    windowFrames = 0;
    windowKeyframes = 0;
  }

  /** Packets expected in the window so far (from its start, or this stream's first packet). */
  long windowExpected() {
    if (base < 0) {
      return 0;
    }
    long from = windowHighest == Long.MIN_VALUE ? base - 1 : windowHighest;
    return sequence.highest() - from;
  }

  long windowReceived() {
    return unique - windowUnique;
  }

  /** Video media packets (first arrivals, not retransmissions) in the window, all layers. */
  long windowVideoPackets() {
    return windowLayerPackets[0] + windowLayerPackets[1] + windowLayerPackets[2];
  }
}
