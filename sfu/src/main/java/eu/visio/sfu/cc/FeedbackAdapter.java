package eu.visio.sfu.cc;

import eu.visio.media.rtcp.TransportCcFeedback;
import eu.visio.media.rtcp.TransportCcFeedback.PacketStatus;

/**
 * Joins transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) with the
 * {@link TransportSequencer}'s history into {@link PacketResults}: for each packet the feedback
 * names and we still remember, its send time, size, and arrival time or loss.
 *
 * <p>Untrusted input, handled without throwing:
 *
 * <ul>
 *   <li>16-bit sequence numbers are unwrapped against the highest number sent; numbers never sent,
 *       or fallen out of the history ring, are skipped.
 *   <li>The 24-bit reference time (64 ms units) wraps every 12.4 days; it is unwrapped against the
 *       newest seen, so arrival times stay monotonic across the wrap. An older feedback arriving
 *       late unwraps to its own, earlier, time.
 *   <li>Duplicates: a packet is reported received at most once, and lost at most once and only if
 *       not already reported received. Feedback repeating a packet (reordered or retransmitted
 *       feedback) therefore adds nothing; a packet first reported lost and later received (its
 *       feedback reordered) is reported again as received.
 * </ul>
 *
 * <p>Allocation: none beyond what parsing the feedback already did; results are reused.
 */
public final class FeedbackAdapter {
  private static final long REFERENCE_UNIT_NANOS =
      TransportCcFeedback.REFERENCE_TIME_UNIT_US * 1000;

  private final TransportSequencer sequencer;
  private final PacketResults results;
  private boolean referenceKnown;
  private long newestReference;
  private long rttNanos = -1;
  private long feedbacks;
  private long unknownPackets;

  public FeedbackAdapter(TransportSequencer sequencer) {
    this.sequencer = sequencer;
    this.results = new PacketResults(sequencer.capacity());
  }

  /**
   * Joins one feedback; the results are in {@link #results()} until the next call.
   *
   * @param nowNanos when the feedback arrived, on our clock (for the round-trip estimate)
   * @return how many packets the results hold
   */
  public int onFeedback(TransportCcFeedback feedback, long nowNanos) {
    results.clear();
    feedbacks++;
    long reference = unwrapReference(feedback.referenceTime());
    long clock = reference * REFERENCE_UNIT_NANOS;
    long base = sequencer.unwrap(feedback.baseSequence());
    long latestSend = Long.MIN_VALUE;
    var packets = feedback.packets();
    for (int i = 0, n = packets.size(); i < n; i++) {
      PacketStatus status = packets.get(i);
      boolean received = status.received();
      if (received) {
        // The clock runs on through packets we do not know: the deltas chain all received ones.
        clock += status.deltaUs() * 1000L;
      }
      int slot = base == Long.MIN_VALUE ? -1 : sequencer.slot(base + i);
      if (slot < 0 || results.full()) {
        unknownPackets++;
        continue;
      }
      if (sequencer.hasFlag(slot, TransportSequencer.REPORTED_RECEIVED)
          || (!received && sequencer.hasFlag(slot, TransportSequencer.REPORTED_LOST))) {
        continue;
      }
      sequencer.setFlag(
          slot, received ? TransportSequencer.REPORTED_RECEIVED : TransportSequencer.REPORTED_LOST);
      long send = sequencer.sendNanos(slot);
      if (received) {
        latestSend = Math.max(latestSend, send);
      }
      results.add(
          base + i,
          send,
          received ? clock : PacketResults.LOST,
          sequencer.size(slot),
          sequencer.probe(slot));
    }
    if (latestSend != Long.MIN_VALUE && nowNanos >= latestSend) {
      // Upper bound: includes however long the receiver waited before sending feedback.
      rttNanos = nowNanos - latestSend;
    }
    return results.count();
  }

  private long unwrapReference(int raw) {
    if (!referenceKnown) {
      referenceKnown = true;
      newestReference = raw;
      return raw;
    }
    int delta = ((raw - (int) newestReference) << 8) >> 8; // signed 24-bit distance
    long reference = newestReference + delta;
    if (delta > 0) {
      newestReference = reference;
    }
    return reference;
  }

  /** Results of the last {@link #onFeedback} call. */
  public PacketResults results() {
    return results;
  }

  /**
   * Time from sending the newest packet the last useful feedback reported received to receiving
   * that feedback, or -1 before any: an over-estimate of the round trip by the receiver's feedback
   * interval.
   */
  public long rttNanos() {
    return rttNanos;
  }

  public long feedbacks() {
    return feedbacks;
  }

  /** Statuses naming packets never sent or already forgotten (skipped). */
  public long unknownPackets() {
    return unknownPackets;
  }
}
