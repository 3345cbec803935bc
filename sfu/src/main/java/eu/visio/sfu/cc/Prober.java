package eu.visio.sfu.cc;

import java.util.function.LongSupplier;

/**
 * Bandwidth probing for one subscriber transport: when the subscriptions want more than the
 * estimate allows, send short bursts of padding (or RTX) at a multiple of the estimate and see
 * whether the receiver got them at that rate. The delay-based controller alone climbs 8% a second;
 * a successful probe lets the estimate jump.
 *
 * <p>An attempt plans up to {@link #MULTIPLIERS}.length clusters at {2×, 3×} the estimate, capped
 * at 1.25× what is wanted and at the maximum, sent back to back. Each cluster lasts at least {@link
 * #CLUSTER_NANOS} and {@link #MIN_PACKETS} packets. The media loop drives sending:
 *
 * <pre>{@code
 * while (prober.shouldProbe(now, desiredBps)) {
 *   int size = prober.probeSize();
 *   int twccSeq = prober.next(now, size);     // numbers it through the TransportSequencer
 *   sendPadding(size, twccSeq);
 * }
 * }</pre>
 *
 * <p>Evaluation (as libwebrtc's ProbeBitrateEstimator): once all of a cluster's packets are
 * reported, or a second after it ended, and at least {@link #MIN_RECEIVED_RATIO} of them arrived,
 * the send rate (bytes after the last packet over the send span) and receive rate (bytes after the
 * first over the arrival span) are compared. A receive rate under 90% of the send rate means the
 * probe hit the bottleneck: the result is 95% of the receive rate. Otherwise it is the lower of the
 * two. After a failed attempt the next one waits {@link #BACKOFF_NANOS}, doubling up to 30 s.
 *
 * <p>Preallocated clusters; no allocation while probing.
 */
public final class Prober {
  static final double[] MULTIPLIERS = {2.0, 3.0};
  static final long CLUSTER_NANOS = 15_000_000;
  static final int MIN_PACKETS = 5;
  static final double MIN_RECEIVED_RATIO = 0.9;
  static final double PROBE_ABOVE = 1.1;
  static final double DESIRED_HEADROOM = 1.25;
  static final long RETRY_NANOS = 1_000_000_000;
  static final long BACKOFF_NANOS = 5_000_000_000L;
  static final long MAX_BACKOFF_NANOS = 30_000_000_000L;
  static final long EVALUATION_TIMEOUT_NANOS = 1_000_000_000;

  /** Default padding packet size on the wire (a padding-only RTP packet carries at most 255). */
  public static final int DEFAULT_PROBE_SIZE = 255 + 12 + 8;

  private static final class Cluster {
    int id;
    long bps;
    long targetBytes;
    // sending
    long firstSeq;
    long lastSeq;
    long startNanos;
    long endNanos;
    int sentPackets;
    long sentBytes;
    boolean sending;
    boolean pending; // sent, awaiting evaluation
    // feedback
    int reported;
    int received;
    long receivedBytes;
    long firstSend;
    long lastSend;
    int lastSendSize;
    long firstArrival;
    long lastArrival;
    int firstArrivalSize;
  }

  private final TransportSequencer sequencer;
  private final LongSupplier estimate;
  private final long maxBps;
  private final int probeSize;
  private final Cluster[] clusters = new Cluster[MULTIPLIERS.length];
  private int planned;
  private int current = -1;
  private int nextId;
  private boolean enabled;
  private long nextAttempt = Long.MIN_VALUE;
  private long backoff = BACKOFF_NANOS;
  private boolean attemptSucceeded;
  private long clustersSent;
  private long clustersSucceeded;

  Prober(TransportSequencer sequencer, LongSupplier estimate, long maxBps, int probeSize) {
    this.sequencer = sequencer;
    this.estimate = estimate;
    this.maxBps = maxBps;
    this.probeSize = probeSize;
    for (int i = 0; i < clusters.length; i++) {
      clusters[i] = new Cluster();
    }
  }

  /**
   * Whether a probe packet should be sent now; starts an attempt when the estimate is more than 10%
   * below {@code desiredBps}, none is under way and the last one is long enough ago.
   */
  public boolean shouldProbe(long nowNanos, long desiredBps) {
    if (current >= 0) {
      Cluster c = clusters[current];
      if (c.sentPackets >= MIN_PACKETS && c.sentBytes >= c.targetBytes) {
        finish(c, nowNanos);
      } else {
        return c.sentBytes < (long) (c.bps * ((nowNanos - c.startNanos) / 8e9)) + probeSize;
      }
    }
    if (current >= 0) {
      return true; // the next cluster of this attempt just started
    }
    long est = estimate.getAsLong();
    if (!enabled
        || hasPending()
        || (nextAttempt != Long.MIN_VALUE && nowNanos < nextAttempt)
        || desiredBps <= est * PROBE_ABOVE) {
      return false;
    }
    return plan(nowNanos, est, desiredBps);
  }

  private boolean plan(long now, long est, long desiredBps) {
    long cap = Math.min(maxBps, (long) (desiredBps * DESIRED_HEADROOM));
    planned = 0;
    long previous = est;
    for (double m : MULTIPLIERS) {
      long bps = Math.min((long) (est * m), cap);
      if (bps > previous) {
        Cluster c = clusters[planned++];
        c.id = nextId++;
        c.bps = bps;
        c.targetBytes = bps * CLUSTER_NANOS / 8_000_000_000L;
        c.sending = false;
        c.pending = false;
        previous = bps;
      }
    }
    if (planned == 0) {
      return false;
    }
    attemptSucceeded = false;
    begin(0, now);
    return true;
  }

  private void begin(int index, long now) {
    Cluster c = clusters[index];
    current = index;
    c.sending = true;
    c.startNanos = now;
    c.endNanos = now;
    c.sentPackets = 0;
    c.sentBytes = 0;
    c.firstSeq = -1;
    c.lastSeq = -1;
    c.reported = 0;
    c.received = 0;
    c.receivedBytes = 0;
    c.firstSend = Long.MAX_VALUE;
    c.lastSend = Long.MIN_VALUE;
    c.firstArrival = Long.MAX_VALUE;
    c.lastArrival = Long.MIN_VALUE;
  }

  private void finish(Cluster c, long now) {
    c.sending = false;
    c.pending = true;
    clustersSent++;
    if (current + 1 < planned) {
      begin(current + 1, now);
    } else {
      current = -1;
      nextAttempt = now + RETRY_NANOS;
    }
  }

  /**
   * Numbers one probe packet about to be sent and accounts for it.
   *
   * @return the 16-bit transport-wide sequence number to write into it
   */
  public int next(long nowNanos, int sizeBytes) {
    int seq = sequencer.next(nowNanos, sizeBytes, true);
    if (current >= 0) {
      Cluster c = clusters[current];
      long ext = sequencer.highest();
      if (c.firstSeq < 0) {
        c.firstSeq = ext;
      }
      c.lastSeq = ext;
      c.sentPackets++;
      c.sentBytes += sizeBytes;
      c.endNanos = nowNanos;
    }
    return seq;
  }

  /**
   * Takes back a probe {@link #next} numbered that the transport then refused: it leaves its
   * cluster's accounting and the transport-wide sequence ({@link TransportSequencer#unsent}), so it
   * is neither counted as sent nor later reported lost.
   */
  public void unsent(int sequence, int sizeBytes) {
    long ext = sequencer.unwrap(sequence);
    if (current >= 0) {
      Cluster c = clusters[current];
      if (c.lastSeq == ext && c.sentPackets > 0) {
        c.sentPackets--;
        c.sentBytes -= sizeBytes;
        if (c.sentPackets == 0) {
          c.firstSeq = -1;
          c.lastSeq = -1;
        } else {
          c.lastSeq = ext - 1;
        }
      }
    }
    sequencer.unsent(sequence);
  }

  /** Size in bytes the next probe packet should have on the wire. */
  public int probeSize() {
    return probeSize;
  }

  /**
   * Reads the probe packets of one feedback's results.
   *
   * @return the rate a cluster evaluated now proved, or -1
   */
  long onResults(PacketResults results, long nowNanos) {
    for (int i = 0, n = results.count(); i < n; i++) {
      if (!results.probe(i)) {
        continue;
      }
      Cluster c = owner(results.sequence(i));
      if (c == null) {
        continue;
      }
      c.reported++;
      if (results.lost(i)) {
        continue;
      }
      c.received++;
      c.receivedBytes += results.size(i);
      long send = results.sendNanos(i);
      long arrival = results.arrivalNanos(i);
      if (send > c.lastSend) {
        c.lastSend = send;
        c.lastSendSize = results.size(i);
      }
      c.firstSend = Math.min(c.firstSend, send);
      if (arrival < c.firstArrival) {
        c.firstArrival = arrival;
        c.firstArrivalSize = results.size(i);
      }
      c.lastArrival = Math.max(c.lastArrival, arrival);
    }
    long best = -1;
    for (int k = 0; k < planned; k++) {
      Cluster c = clusters[k];
      if (c.pending
          && (c.reported >= c.sentPackets || nowNanos - c.endNanos > EVALUATION_TIMEOUT_NANOS)) {
        c.pending = false;
        long bps = evaluate(c);
        if (bps > 0) {
          clustersSucceeded++;
          attemptSucceeded = true;
          best = Math.max(best, bps);
        }
        if (current < 0 && !hasPending()) {
          endAttempt(nowNanos);
        }
      }
    }
    return best;
  }

  private void endAttempt(long now) {
    if (attemptSucceeded) {
      backoff = BACKOFF_NANOS;
    } else {
      nextAttempt = Math.max(nextAttempt, now + backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
    }
  }

  private Cluster owner(long seq) {
    for (int k = 0; k < planned; k++) {
      Cluster c = clusters[k];
      if ((c.pending || c.sending) && c.firstSeq >= 0 && seq >= c.firstSeq && seq <= c.lastSeq) {
        return c;
      }
    }
    return null;
  }

  private static long evaluate(Cluster c) {
    if (c.sentPackets < MIN_PACKETS
        || c.received < MIN_PACKETS
        || c.received < MIN_RECEIVED_RATIO * c.sentPackets) {
      return -1;
    }
    long receiveSpan = c.lastArrival - c.firstArrival;
    if (receiveSpan <= 0 || receiveSpan > EVALUATION_TIMEOUT_NANOS) {
      return -1;
    }
    double receiveBps = (c.receivedBytes - c.firstArrivalSize) * 8e9 / receiveSpan;
    long sendSpan = c.lastSend - c.firstSend;
    double sendBps =
        sendSpan > 0 ? (c.receivedBytes - c.lastSendSize) * 8e9 / sendSpan : Double.MAX_VALUE;
    double result = receiveBps < 0.9 * sendBps ? 0.95 * receiveBps : Math.min(sendBps, receiveBps);
    return Double.isFinite(result) && result > 0 ? (long) result : -1;
  }

  private boolean hasPending() {
    for (int k = 0; k < planned; k++) {
      if (clusters[k].pending) {
        return true;
      }
    }
    return false;
  }

  void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether a cluster is being sent. */
  public boolean probing() {
    return current >= 0;
  }

  public long clustersSent() {
    return clustersSent;
  }

  public long clustersSucceeded() {
    return clustersSucceeded;
  }
}
