package eu.visio.sfu.cc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A virtual-clock path from the SFU to one subscriber: a FIFO bottleneck of settable capacity with
 * a drop-tail queue, constant propagation delay, random loss on the wire, and a receiver that sends
 * transport-cc feedback every {@code feedbackInterval} (delivered after the propagation delay). The
 * sender sends 1200-byte media packets paced at {@code min(estimate, desired)} and probes when the
 * {@link Prober} asks.
 */
final class NetworkSimulation {
  static final long MS = 1_000_000;
  static final int MEDIA_SIZE = 1200;

  final TransportSequencer sequencer;
  final BandwidthEstimator bwe;
  final List<long[]> trace = new ArrayList<>(); // {now, estimate}

  long capacityBps;
  double lossRate;
  long desiredBps = Long.MAX_VALUE;
  boolean probing;
  long propagationNanos = 20 * MS;
  long maxQueueNanos = 400 * MS;
  long feedbackIntervalNanos = 50 * MS;
  long receiverClockOffsetUs = 123_456_789_000L;

  private final Random random;
  private long now;
  private long linkFreeAt;
  private long nextMediaAt;
  private long nextFeedbackAt;
  private int fbCount;
  private long nextReportSeq = -1; // extended, first not yet reported
  private final ArrayDeque<long[]> inFlight = new ArrayDeque<>(); // {extSeq, arrivalNanos or -1}
  private final ArrayDeque<Object[]> feedbacksInFlight = new ArrayDeque<>(); // {deliverAt, fb}
  private long sent;

  NetworkSimulation(long capacityBps, long startBps, long seed, int firstSeq) {
    this(capacityBps, startBps, seed, firstSeq, null);
  }

  NetworkSimulation(
      long capacityBps,
      long startBps,
      long seed,
      int firstSeq,
      BandwidthEstimator.Listener listener) {
    this.capacityBps = capacityBps;
    this.random = new Random(seed);
    this.sequencer = new TransportSequencer(8192, firstSeq);
    this.bwe =
        new BandwidthEstimator(
            "sim",
            new BandwidthEstimator.Config(startBps, 100_000, 50_000_000, Prober.DEFAULT_PROBE_SIZE),
            sequencer,
            listener);
  }

  long now() {
    return now;
  }

  /** Runs for {@code durationNanos} in 1 ms steps. */
  void run(long durationNanos) {
    long end = now + durationNanos;
    while (now < end) {
      step();
      now += MS;
    }
  }

  private void step() {
    while (!feedbacksInFlight.isEmpty() && (long) feedbacksInFlight.peekFirst()[0] <= now) {
      bwe.onFeedback(
          (eu.visio.media.rtcp.TransportCcFeedback) feedbacksInFlight.pollFirst()[1], now);
    }
    if (probing) {
      Prober prober = bwe.prober();
      while (prober.shouldProbe(now, desiredBps)) {
        int size = prober.probeSize();
        prober.next(now, size);
        transmit(size);
      }
    }
    long rate = Math.min(bwe.estimate(), desiredBps);
    if (nextMediaAt < now - 10 * MS) {
      nextMediaAt = now; // no catching up after a rate drop
    }
    while (nextMediaAt <= now) {
      sequencer.next(now, MEDIA_SIZE, false);
      transmit(MEDIA_SIZE);
      nextMediaAt += MEDIA_SIZE * 8_000_000_000L / rate;
    }
    if (now >= nextFeedbackAt) {
      sendFeedback();
      nextFeedbackAt = now + feedbackIntervalNanos;
    }
    if (now % (10 * MS) == 0) {
      trace.add(new long[] {now, bwe.estimate()});
    }
  }

  private void transmit(int size) {
    long ext = sequencer.highest();
    sent++;
    long start = Math.max(now, linkFreeAt);
    if (start - now > maxQueueNanos) {
      inFlight.add(new long[] {ext, -1}); // tail drop
      return;
    }
    linkFreeAt = start + size * 8_000_000_000L / capacityBps;
    boolean lost = random.nextDouble() < lossRate;
    inFlight.add(new long[] {ext, lost ? -1 : linkFreeAt + propagationNanos});
  }

  private void sendFeedback() {
    // Report every packet whose fate is known by now: arrived, or dropped before a later arrival.
    long lastArrived = -1;
    for (long[] p : inFlight) {
      if (p[1] >= 0 && p[1] <= now) {
        lastArrived = p[0];
      }
    }
    if (lastArrived < 0) {
      return;
    }
    if (nextReportSeq < 0) {
      nextReportSeq = inFlight.peekFirst()[0];
    }
    int n = (int) (lastArrived - nextReportSeq + 1);
    long[] arrivals = new long[n];
    for (int i = 0; i < n; i++) {
      long[] p = inFlight.pollFirst();
      arrivals[i] = p[1] < 0 ? Long.MIN_VALUE : p[1] / 1000 + receiverClockOffsetUs;
    }
    feedbacksInFlight.add(
        new Object[] {
          now + propagationNanos, Feedbacks.of((int) nextReportSeq & 0xFFFF, fbCount++, arrivals)
        });
    nextReportSeq = lastArrived + 1;
  }

  /** Lowest and highest estimate traced in [from, to). */
  long[] range(long from, long to) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (long[] t : trace) {
      if (t[0] >= from && t[0] < to) {
        lo = Math.min(lo, t[1]);
        hi = Math.max(hi, t[1]);
      }
    }
    return new long[] {lo, hi};
  }

  /** Mean estimate traced in [from, to). */
  long mean(long from, long to) {
    long sum = 0;
    long n = 0;
    for (long[] t : trace) {
      if (t[0] >= from && t[0] < to) {
        sum += t[1];
        n++;
      }
    }
    return sum / Math.max(n, 1);
  }

  /** First traced time at or after {@code from} when the estimate is at most {@code bps}. */
  long firstAtMost(long from, long bps) {
    for (long[] t : trace) {
      if (t[0] >= from && t[1] <= bps) {
        return t[0];
      }
    }
    return Long.MAX_VALUE;
  }

  long sent() {
    return sent;
  }
}
