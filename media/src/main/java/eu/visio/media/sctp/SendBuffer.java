package eu.visio.media.sctp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sending half of an association: messages cut into DATA chunks that fit a packet (§6.9),
 * stream sequence numbers for ordered ones, what is in flight until a SACK acknowledges it, the
 * retransmission timeout (RFC 6298 rules, §6.3) and the congestion window (§7.2: slow start and
 * congestion avoidance, halving on loss, one MTU after a timeout), bounded by the peer's window.
 */
final class SendBuffer {
  /** One DATA chunk and what we know of it. */
  private static final class Sent {
    final DataChunk chunk;
    final long message; // fragments of one message are abandoned together
    final int maxRetransmits; // -1: fully reliable
    final long expiresAt; // -1: no lifetime
    long sentAt = -1;
    int transmissions;
    boolean gapAcked;
    int missed;
    boolean retransmit;
    boolean abandoned;

    Sent(DataChunk chunk, long message, int maxRetransmits, long expiresAt) {
      this.chunk = chunk;
      this.message = message;
      this.maxRetransmits = maxRetransmits;
      this.expiresAt = expiresAt;
    }

    /** RFC 3758 §3.5 (A1-A3): a partially reliable message past its limits is abandoned. */
    boolean expired(long nowNanos) {
      return (maxRetransmits >= 0 && transmissions > maxRetransmits)
          || (expiresAt >= 0 && nowNanos > expiresAt);
    }
  }

  static final long RTO_INITIAL_NANOS = 1_000_000_000L;
  static final long RTO_MIN_NANOS = 200_000_000L; // WebRTC stacks use a lower floor than 1 s
  static final long RTO_MAX_NANOS = 60_000_000_000L;

  private final int mtu;
  private long nextTsn; // unwrapped
  private final ArrayDeque<Sent> queued = new ArrayDeque<>();
  private final TreeMap<Long, Sent> inFlight = new TreeMap<>(); // by unwrapped TSN
  private final Map<Integer, Integer> nextSsn = new HashMap<>();
  private long messages;
  private boolean forwardTsnDue;
  private long cumulativeAcked; // unwrapped
  private long peerWindow;
  private long cwnd;
  private long ssthresh;
  private long partialBytesAcked;
  private long srtt = -1;
  private long rttvar;
  private long rto = RTO_INITIAL_NANOS;
  private long timerStarted = -1;

  SendBuffer(long localInitialTsn, long peerWindow, int mtu) {
    this.nextTsn = localInitialTsn;
    this.cumulativeAcked = localInitialTsn - 1;
    this.peerWindow = peerWindow;
    this.mtu = mtu;
    this.cwnd = Math.min(4L * mtu, Math.max(2L * mtu, 4380)); // §7.2.1
    this.ssthresh = peerWindow;
  }

  /** Largest user data in one DATA chunk of one packet: the MTU less the headers. */
  int maxFragment() {
    return mtu - SctpPacket.HEADER - 4 - DataChunk.HEADER;
  }

  void enqueue(int streamId, long ppid, byte[] data, boolean unordered) {
    enqueue(streamId, ppid, data, unordered, -1, -1);
  }

  /**
   * A message, partially reliable when {@code maxRetransmits} ≥ 0 (resent at most that often) or
   * {@code expiresAt} ≥ 0 (not resent after that time): then abandoned, and skipped at the peer by
   * FORWARD TSN.
   */
  void enqueue(
      int streamId, long ppid, byte[] data, boolean unordered, int maxRetransmits, long expiresAt) {
    long message = messages++;
    int ssn = 0;
    if (!unordered) {
      ssn = nextSsn.getOrDefault(streamId, 0);
      nextSsn.put(streamId, (ssn + 1) & 0xFFFF);
    }
    int max = maxFragment();
    int off = 0;
    do {
      int n = Math.min(max, data.length - off);
      boolean first = off == 0;
      boolean last = off + n == data.length;
      queued.add(
          new Sent(
              new DataChunk(
                  unordered,
                  first,
                  last,
                  false,
                  nextTsn++ & 0xFFFF_FFFFL,
                  streamId,
                  ssn,
                  ppid,
                  Arrays.copyOfRange(data, off, off + n)),
              message,
              maxRetransmits,
              expiresAt));
      off += n;
    } while (off < data.length);
  }

  private long unwrap(long tsn) {
    return cumulativeAcked + (int) (tsn - (cumulativeAcked & 0xFFFF_FFFFL));
  }

  private long bytesInFlight() {
    long n = 0;
    for (Sent s : inFlight.values()) {
      if (!s.gapAcked && !s.abandoned) {
        n += s.chunk.payload().length;
      }
    }
    return n;
  }

  /**
   * Chunks to send now: retransmissions first, then new data, within the congestion window and the
   * peer's window (one chunk always goes when nothing is in flight, §6.1 rule B).
   */
  List<DataChunk> take(long nowNanos) {
    List<DataChunk> out = new ArrayList<>();
    long flight = bytesInFlight();
    for (Sent s : inFlight.values()) {
      if (s.retransmit && s.expired(nowNanos)) {
        abandon(s.message);
      }
    }
    for (Sent s : inFlight.values()) {
      if (s.retransmit && !s.abandoned) {
        s.retransmit = false;
        s.transmissions++;
        s.sentAt = nowNanos;
        out.add(s.chunk);
      }
    }
    while (!queued.isEmpty()) {
      Sent s = queued.peek();
      if (s.expiresAt >= 0 && nowNanos > s.expiresAt) {
        queued.poll(); // its lifetime ran out before it could be sent (§3.5 A2): abandoned
        s.abandoned = true;
        inFlight.put(unwrap(s.chunk.tsn()), s);
        forwardTsnDue = true;
        continue;
      }
      int n = s.chunk.payload().length;
      boolean room = flight + n <= Math.min(cwnd, peerWindow) || flight == 0;
      if (!room) {
        break;
      }
      queued.poll();
      s.sentAt = nowNanos;
      s.transmissions = 1;
      inFlight.put(unwrap(s.chunk.tsn()), s);
      flight += n;
      out.add(s.chunk);
    }
    if (!inFlight.isEmpty() && timerStarted < 0) {
      timerStarted = nowNanos;
    }
    return out;
  }

  /** Abandons every fragment of a message still held, and asks for a FORWARD TSN. */
  private void abandon(long message) {
    for (Sent s : inFlight.values()) {
      if (s.message == message && !s.abandoned) {
        s.abandoned = true;
        s.retransmit = false;
        forwardTsnDue = true;
      }
    }
  }

  /**
   * RFC 3758 §3.5 (C1-C3): the FORWARD TSN to send when abandoned chunks follow the cumulative ack:
   * the "advanced peer ack point" and, for ordered messages, the streams' sequence numbers to skip.
   * Empty when nothing was abandoned there.
   */
  java.util.Optional<ForwardTsnChunk> forwardTsn() {
    if (!forwardTsnDue) {
      return java.util.Optional.empty();
    }
    forwardTsnDue = false;
    long point = cumulativeAcked;
    Map<Integer, Integer> skips = new java.util.TreeMap<>();
    for (Map.Entry<Long, Sent> e : inFlight.entrySet()) {
      if (e.getKey() != point + 1 || !e.getValue().abandoned) {
        break;
      }
      point++;
      DataChunk c = e.getValue().chunk;
      if (!c.unordered()) {
        skips.put(c.streamId(), c.ssn());
      }
    }
    if (point == cumulativeAcked) {
      return java.util.Optional.empty();
    }
    List<ForwardTsnChunk.StreamSequence> streams = new ArrayList<>();
    skips.forEach((stream, ssn) -> streams.add(new ForwardTsnChunk.StreamSequence(stream, ssn)));
    return java.util.Optional.of(new ForwardTsnChunk(point & 0xFFFF_FFFFL, streams));
  }

  /** A SACK: acknowledged chunks leave, the windows and RTO update, losses are marked. */
  void onSack(SackChunk sack, long nowNanos) {
    long cum = unwrap(sack.cumulativeTsnAck());
    if (cum < cumulativeAcked) {
      return; // an old SACK, reordered (§6.2.1 D)
    }
    if (cum >= nextTsn) {
      return; // acknowledges what we never sent: a broken or lying peer (§6.2.1)
    }
    long acked = 0;
    // One RTT sample per SACK, from the most recently sent chunk it newly acknowledges and that
    // was sent once (Karn): older ones may have waited behind a hole and would inflate the RTO.
    long latestSentAt = -1;
    Iterator<Map.Entry<Long, Sent>> it = inFlight.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Sent> e = it.next();
      if (e.getKey() > cum) {
        break;
      }
      Sent s = e.getValue();
      if (!s.gapAcked) {
        acked += s.chunk.payload().length;
        if (s.transmissions == 1) {
          latestSentAt = Math.max(latestSentAt, s.sentAt);
        }
      }
      it.remove();
    }
    boolean advanced = cum > cumulativeAcked;
    cumulativeAcked = cum;
    long highestGapAcked = cum;
    for (SackChunk.GapBlock g : sack.gaps()) {
      for (long t = cum + g.start(); t <= Math.min(cum + g.end(), nextTsn - 1); t++) {
        Sent s = inFlight.get(t);
        if (s != null && !s.gapAcked) {
          s.gapAcked = true;
          acked += s.chunk.payload().length;
          if (s.transmissions == 1) {
            latestSentAt = Math.max(latestSentAt, s.sentAt);
          }
        }
        highestGapAcked = Math.max(highestGapAcked, t);
      }
    }
    if (latestSentAt >= 0) {
      measureRtt(nowNanos - latestSentAt);
    }
    // Fast retransmit (§7.2.4): a chunk reported missing by three SACKs is lost.
    boolean loss = false;
    for (Map.Entry<Long, Sent> e : inFlight.entrySet()) {
      Sent m = e.getValue();
      if (e.getKey() < highestGapAcked && !m.gapAcked && !m.abandoned && ++m.missed == 3) {
        e.getValue().retransmit = true;
        loss = true;
      }
    }
    peerWindow = Math.max(0, sack.arwnd() - bytesInFlight());
    if (loss) {
      ssthresh = Math.max(cwnd / 2, 4L * mtu);
      cwnd = ssthresh;
      partialBytesAcked = 0;
    } else if (advanced) {
      if (cwnd <= ssthresh) {
        cwnd += Math.min(acked, mtu); // slow start
      } else {
        partialBytesAcked += acked;
        if (partialBytesAcked >= cwnd) {
          partialBytesAcked -= cwnd;
          cwnd += mtu; // congestion avoidance
        }
      }
    }
    timerStarted = inFlight.isEmpty() ? -1 : (advanced ? nowNanos : timerStarted);
    // §3.5 C2: while abandoned chunks sit above the cumulative ack, the peer needs (again) a
    // FORWARD TSN, its last one possibly lost.
    Map.Entry<Long, Sent> first = inFlight.firstEntry();
    if (first != null && first.getValue().abandoned) {
      forwardTsnDue = true;
    }
  }

  /** RFC 6298 §2: SRTT, RTTVAR and RTO from one measurement. */
  private void measureRtt(long r) {
    if (srtt < 0) {
      srtt = r;
      rttvar = r / 2;
    } else {
      rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
      srtt = (7 * srtt + r) / 8;
    }
    rto = Math.clamp(srtt + 4 * rttvar, RTO_MIN_NANOS, RTO_MAX_NANOS);
  }

  /** When the retransmission timer fires, or -1 when nothing is in flight. */
  long deadline() {
    return timerStarted < 0 ? -1 : timerStarted + rto;
  }

  /**
   * T3-rtx expired (§6.3.3): every unacknowledged chunk is resent, the RTO doubles, the window
   * drops to one MTU. Returns whether the timer was really due.
   */
  boolean onTimeout(long nowNanos) {
    if (timerStarted < 0 || nowNanos < timerStarted + rto) {
      return false;
    }
    for (Sent s : inFlight.values()) {
      if (!s.gapAcked && !s.abandoned) {
        s.retransmit = true;
      }
    }
    if (inFlight.firstEntry().getValue().abandoned) {
      forwardTsnDue = true;
    }
    rto = Math.min(rto * 2, RTO_MAX_NANOS);
    ssthresh = Math.max(cwnd / 2, 4L * mtu);
    cwnd = mtu;
    timerStarted = nowNanos;
    return true;
  }

  /** The last TSN given to a chunk (RFC 6525 §4.1 "Sender's Last Assigned TSN"). */
  long lastAssignedTsn() {
    return (nextTsn - 1) & 0xFFFF_FFFFL;
  }

  /**
   * Our outgoing {@code streams} (all when empty) restart at sequence number 0 (RFC 6525 §5.1.2).
   */
  void resetOutgoing(int[] streams) {
    if (streams.length == 0) {
      nextSsn.clear();
    }
    for (int s : streams) {
      nextSsn.remove(s);
    }
  }

  boolean idle() {
    return queued.isEmpty() && inFlight.isEmpty();
  }

  long rtoNanos() {
    return rto;
  }

  long cwnd() {
    return cwnd;
  }

  long cumulativeAcked() {
    return cumulativeAcked & 0xFFFF_FFFFL;
  }
}
