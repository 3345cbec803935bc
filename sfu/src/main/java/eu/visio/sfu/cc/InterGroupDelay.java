package eu.visio.sfu.cc;

/**
 * Pre-filtering of draft-ietf-rmcat-gcc-02 §5.2: packets are grouped into bursts, and the delay
 * variation is measured between consecutive groups, not packets, because a burst (a video frame
 * paced out, a probe) reaches the receiver at the rate of the bottleneck whatever the send spacing
 * was.
 *
 * <p>A packet joins the current group when it was sent within {@link #BURST_NANOS} of the group's
 * first packet, or when it arrived within {@link #BURST_NANOS} of the group's last packet with a
 * negative delay variation to it (it was queued behind the group: a burst, as libwebrtc's
 * InterArrival also treats it). Otherwise it completes the group and starts the next; when two
 * complete groups are known, {@link #add} returns true and the deltas between their last packets
 * are readable.
 *
 * <p>Packets sent before the current group began (feedback reordering) are ignored. An arrival gap
 * beyond {@link #RESET_NANOS} or going backwards starts over: the receiver paused or its clock
 * jumped.
 */
final class InterGroupDelay {
  static final long BURST_NANOS = 5_000_000;
  static final long MAX_BURST_DURATION_NANOS = 100_000_000;
  static final long RESET_NANOS = 3_000_000_000L;

  private boolean started;
  private long firstSend;
  private long lastSend;
  private long firstArrival;
  private long lastArrival;

  private boolean hasPrevious;
  private long previousSend;
  private long previousArrival;

  private long sendDelta;
  private long arrivalDelta;
  private long groupArrival;

  /** Feeds one received packet; true when a new pair of groups was completed. */
  boolean add(long send, long arrival) {
    if (!started) {
      start(send, arrival);
      return false;
    }
    if (send < firstSend) {
      return false;
    }
    if (arrival - lastArrival > RESET_NANOS || lastArrival - arrival > RESET_NANOS) {
      hasPrevious = false;
      start(send, arrival);
      return false;
    }
    if (belongs(send, arrival)) {
      lastSend = Math.max(lastSend, send);
      lastArrival = Math.max(lastArrival, arrival);
      return false;
    }
    boolean ready = false;
    if (hasPrevious) {
      sendDelta = lastSend - previousSend;
      arrivalDelta = lastArrival - previousArrival;
      groupArrival = lastArrival;
      ready = arrivalDelta >= 0; // groups reordered after arrival stamping tell nothing
    }
    hasPrevious = true;
    previousSend = lastSend;
    previousArrival = lastArrival;
    start(send, arrival);
    return ready;
  }

  private boolean belongs(long send, long arrival) {
    if (send - firstSend <= BURST_NANOS) {
      return true;
    }
    long arrivalGap = arrival - lastArrival;
    long variation = arrivalGap - (send - lastSend);
    return arrivalGap <= BURST_NANOS
        && variation < 0
        && arrival - firstArrival < MAX_BURST_DURATION_NANOS;
  }

  private void start(long send, long arrival) {
    started = true;
    firstSend = send;
    lastSend = send;
    firstArrival = arrival;
    lastArrival = arrival;
  }

  /** Send time difference of the last two complete groups (their last packets). */
  long sendDelta() {
    return sendDelta;
  }

  /** Arrival time difference of the last two complete groups. */
  long arrivalDelta() {
    return arrivalDelta;
  }

  /** Arrival of the newer of the last two complete groups. */
  long groupArrival() {
    return groupArrival;
  }
}
