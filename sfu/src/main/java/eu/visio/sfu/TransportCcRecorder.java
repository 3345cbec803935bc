package eu.visio.sfu;

import eu.visio.media.rtcp.TransportCcFeedback;
import eu.visio.media.rtcp.TransportCcFeedback.PacketStatus;
import eu.visio.media.rtp.ExtendedSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The receive side of transport-wide congestion control towards one publisher
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01): records the transport-wide sequence number
 * and arrival time of every packet that carries the extension, and periodically turns them into
 * {@link TransportCcFeedback}, from which the publisher's send-side estimator (GCC) computes its
 * rate.
 *
 * <p>Arrivals sit in a preallocated ring indexed by the unwrapped sequence number, so recording
 * never allocates; building the feedback (once per tick) does. Each feedback covers the numbers
 * from the end of the previous one to the highest received, lost ones included (so the sender's
 * loss-based estimator sees them), like libwebrtc's RemoteEstimatorProxy: the base is the first
 * number not yet reported even when that packet is missing, and the reference time is the first
 * received packet's. A packet that arrives after the feedback that reported it missing moves the
 * next feedback's start back to it, so the sender learns it arrived after all.
 *
 * <p>Not thread-safe: owned by the publisher's media loop. Public for the load generator's
 * subscribing bots, which answer the SFU with the same feedback a browser sends.
 */
public final class TransportCcRecorder {
  /** Most statuses in one feedback: keeps the RTCP packet well inside one MTU. */
  static final int MAX_STATUSES = 400;

  private static final long EMPTY = Long.MIN_VALUE;
  private static final long DELTA_TICK_US = TransportCcFeedback.DELTA_TICK_US;
  private static final long REFERENCE_UNIT_US = TransportCcFeedback.REFERENCE_TIME_UNIT_US;

  private final int mask;
  private final long[] seqs;
  private final long[] arrivalsUs;
  private final ExtendedSequence sequence = new ExtendedSequence();
  private long windowStart = EMPTY;
  private int mediaSsrc;
  private int feedbackCount;

  private long recorded;
  private long duplicates;
  private long tooOld;
  private long feedbacks;

  /**
   * @param capacity arrivals remembered, a power of two; more packets between two feedbacks than
   *     this are reported lost
   */
  public TransportCcRecorder(int capacity) {
    if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    mask = capacity - 1;
    seqs = new long[capacity];
    arrivalsUs = new long[capacity];
    Arrays.fill(seqs, EMPTY);
  }

  /** A packet carrying transport-wide sequence number {@code seq} arrived. Per packet. */
  public void onPacket(int seq, int ssrc, long arrivalNanos) {
    long ext = sequence.update(seq & 0xFFFF);
    long highest = sequence.highest();
    if (highest - ext > mask) {
      tooOld++; // its slot was reused long ago; the sender already heard it was lost
      return;
    }
    int slot = (int) ext & mask;
    if (seqs[slot] == ext) {
      duplicates++; // keep the first arrival
      return;
    }
    seqs[slot] = ext;
    arrivalsUs[slot] = Math.floorDiv(arrivalNanos, 1000);
    if (windowStart == EMPTY || ext < windowStart) {
      windowStart = ext;
    }
    mediaSsrc = ssrc;
    recorded++;
  }

  /**
   * Feedback for everything not yet reported, or null when nothing new arrived. Once per tick;
   * allocates.
   */
  public TransportCcFeedback build(int senderSsrc) {
    long highest = sequence.highest();
    if (windowStart == EMPTY || windowStart > highest) {
      return null;
    }
    long from = Math.max(windowStart, highest - mask);
    long to = Math.min(highest, from + MAX_STATUSES - 1);
    List<PacketStatus> statuses = new ArrayList<>((int) (to - from + 1));
    long reference = EMPTY;
    long clock = 0;
    long end = to;
    for (long ext = from; ext <= to; ext++) {
      int slot = (int) ext & mask;
      int seq16 = (int) ext & 0xFFFF;
      if (seqs[slot] != ext) {
        statuses.add(new PacketStatus(seq16, TransportCcFeedback.NOT_RECEIVED, 0));
        continue;
      }
      long us = arrivalsUs[slot];
      if (reference == EMPTY) {
        reference = Math.floorDiv(us, REFERENCE_UNIT_US);
        clock = reference * REFERENCE_UNIT_US;
      }
      // Round against the reconstructed clock, not the previous arrival: errors do not add up.
      long ticks = Math.floorDiv(us - clock + DELTA_TICK_US / 2, DELTA_TICK_US);
      if (ticks < Short.MIN_VALUE || ticks > Short.MAX_VALUE) {
        end = ext - 1; // more than ±8 s from the previous one: it starts the next feedback
        break;
      }
      clock += ticks * DELTA_TICK_US;
      int symbol =
          ticks >= 0 && ticks <= 0xFF
              ? TransportCcFeedback.SMALL_DELTA
              : TransportCcFeedback.LARGE_DELTA;
      statuses.add(new PacketStatus(seq16, symbol, (int) (ticks * DELTA_TICK_US)));
    }
    windowStart = end + 1;
    feedbacks++;
    return new TransportCcFeedback(
        senderSsrc,
        mediaSsrc,
        (int) from & 0xFFFF,
        (int) (reference & 0xFFFFFF),
        feedbackCount++ & 0xFF,
        statuses);
  }

  /** Packets recorded. */
  long recorded() {
    return recorded;
  }

  /** Packets whose number was already recorded (dropped). */
  long duplicates() {
    return duplicates;
  }

  /** Packets too late for the ring (dropped, reported lost). */
  long tooOld() {
    return tooOld;
  }

  /** Feedback packets built. */
  long feedbacks() {
    return feedbacks;
  }
}
