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
 * The sending half of an association: messages cut into chunks that fit a packet (§6.9), what is in
 * flight until a SACK acknowledges it, the retransmission timeout (RFC 6298 rules, §6.3) and the
 * congestion window (§7.2: slow start and congestion avoidance, halving on loss, one MTU after a
 * timeout), bounded by the peer's window.
 *
 * <p>Messages wait in one queue per stream; TSNs, and a message's stream sequence number (DATA) or
 * message identifier (I-DATA), are given when it is sent, so a message abandoned before it left
 * costs the peer nothing. Streams take turns: with DATA a message's fragments must have consecutive
 * TSNs, so a message goes out whole before the next stream's turn; with I-DATA (RFC 8260) streams
 * alternate fragment by fragment, and a large message no longer holds up a small one on another
 * stream.
 */
final class SendBuffer {
  /** One chunk sent and what we know of it. */
  private static final class Sent {
    final Fragment fragment;
    final Chunk chunk;
    final long message; // fragments of one message are abandoned together
    final int maxRetransmits; // -1: fully reliable
    final long expiresAt; // -1: no lifetime
    long sentAt = -1;
    int transmissions;
    boolean gapAcked;
    int missed;
    boolean retransmit;
    boolean abandoned;

    Sent(Fragment fragment, Chunk chunk, Outgoing m) {
      this.fragment = fragment;
      this.chunk = chunk;
      this.message = m.id;
      this.maxRetransmits = m.maxRetransmits;
      this.expiresAt = m.expiresAt;
    }

    int size() {
      return fragment.payload().length;
    }

    /** RFC 3758 §3.5 (A1-A3): a partially reliable message past its limits is abandoned. */
    boolean expired(long nowNanos) {
      return (maxRetransmits >= 0 && transmissions > maxRetransmits)
          || (expiresAt >= 0 && nowNanos > expiresAt);
    }
  }

  /** A message waiting in its stream's queue, possibly partly sent. */
  private static final class Outgoing {
    final long id;
    final int streamId;
    final long ppid;
    final byte[] data;
    final boolean unordered;
    final int maxRetransmits;
    final long expiresAt;
    long seq = -1; // given with its first fragment
    int offset;
    long fsn;

    Outgoing(
        long id,
        int streamId,
        long ppid,
        byte[] data,
        boolean unordered,
        int maxRetransmits,
        long expiresAt) {
      this.id = id;
      this.streamId = streamId;
      this.ppid = ppid;
      this.data = data;
      this.unordered = unordered;
      this.maxRetransmits = maxRetransmits;
      this.expiresAt = expiresAt;
    }
  }

  static final long RTO_INITIAL_NANOS = 1_000_000_000L;
  static final long RTO_MIN_NANOS = 200_000_000L; // WebRTC stacks use a lower floor than 1 s
  static final long RTO_MAX_NANOS = 60_000_000_000L;

  private final int mtu;
  private final boolean interleaved;
  private long nextTsn; // unwrapped
  private final Map<Integer, ArrayDeque<Outgoing>> queues = new HashMap<>();
  private final ArrayDeque<Integer> turns = new ArrayDeque<>(); // streams with queued messages
  private Outgoing current; // DATA: the message being sent, whose fragments go back to back
  private long queuedBytes;
  private final TreeMap<Long, Sent> inFlight = new TreeMap<>(); // by unwrapped TSN
  private final Map<Integer, Long> nextOrdered = new HashMap<>(); // SSN (DATA) or MID
  private final Map<Integer, Long> nextUnordered = new HashMap<>(); // MID (I-DATA only)
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
    this(localInitialTsn, peerWindow, mtu, false);
  }

  SendBuffer(long localInitialTsn, long peerWindow, int mtu, boolean interleaved) {
    this.nextTsn = localInitialTsn;
    this.cumulativeAcked = localInitialTsn - 1;
    this.peerWindow = peerWindow;
    this.mtu = mtu;
    this.interleaved = interleaved;
    this.cwnd = Math.min(4L * mtu, Math.max(2L * mtu, 4380)); // §7.2.1
    this.ssthresh = peerWindow;
  }

  /** Largest user data in one chunk of one packet: the MTU less the headers. */
  int maxFragment() {
    // The chunk is padded to 4 bytes (RFC 9260 §3.2): round the room down first.
    return ((mtu - SctpPacket.HEADER) & ~3)
        - 4
        - (interleaved ? IDataChunk.HEADER : DataChunk.HEADER);
  }

  void enqueue(int streamId, long ppid, byte[] data, boolean unordered) {
    enqueue(streamId, ppid, data, unordered, -1, -1);
  }

  /**
   * A message, partially reliable when {@code maxRetransmits} ≥ 0 (resent at most that often) or
   * {@code expiresAt} ≥ 0 (not sent or resent after that time): then abandoned, and skipped at the
   * peer by FORWARD TSN.
   */
  void enqueue(
      int streamId, long ppid, byte[] data, boolean unordered, int maxRetransmits, long expiresAt) {
    ArrayDeque<Outgoing> q = queues.computeIfAbsent(streamId, s -> new ArrayDeque<>());
    if (q.isEmpty() && !turns.contains(streamId)) {
      turns.add(streamId);
    }
    q.add(new Outgoing(messages++, streamId, ppid, data, unordered, maxRetransmits, expiresAt));
    queuedBytes += data.length;
  }

  /** Whether messages of {@code stream} wait to be sent (a reset must wait for them). */
  boolean hasQueued(int stream) {
    ArrayDeque<Outgoing> q = queues.get(stream);
    return q != null && !q.isEmpty();
  }

  long queuedBytes() {
    return queuedBytes;
  }

  private long unwrap(long tsn) {
    return cumulativeAcked + (int) (tsn - (cumulativeAcked & 0xFFFF_FFFFL));
  }

  private long bytesInFlight() {
    long n = 0;
    for (Sent s : inFlight.values()) {
      if (!s.gapAcked && !s.abandoned) {
        n += s.size();
      }
    }
    return n;
  }

  /**
   * Chunks to send now: retransmissions first, then new data, within the congestion window and the
   * peer's window (one chunk always goes when nothing is in flight, §6.1 rule B).
   */
  List<Chunk> take(long nowNanos) {
    List<Chunk> out = new ArrayList<>();
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
    Outgoing m;
    while ((m = next(nowNanos)) != null) {
      int n = Math.min(maxFragment(), m.data.length - m.offset);
      if (flight + n > Math.min(cwnd, peerWindow) && flight > 0) {
        break;
      }
      Sent s = send(m, n, nowNanos);
      flight += n;
      out.add(s.chunk);
    }
    if (!inFlight.isEmpty() && timerStarted < 0) {
      timerStarted = nowNanos;
    }
    return out;
  }

  /**
   * The message whose fragment goes next: DATA finishes the current message first; otherwise the
   * stream whose turn it is. Messages whose lifetime ran out before they started are dropped (§3.5
   * A2), those that ran out midway are abandoned with what they sent.
   */
  private Outgoing next(long nowNanos) {
    while (true) {
      Outgoing m = current;
      if (m == null) {
        Integer stream = turns.peek();
        if (stream == null) {
          return null;
        }
        m = queues.get(stream).peek();
      }
      if (m.expiresAt >= 0 && nowNanos > m.expiresAt) {
        if (m.offset > 0) {
          abandon(m.id);
        }
        finish(m);
        continue;
      }
      return m;
    }
  }

  /** Cuts and sends the next {@code n} bytes of {@code m}. */
  private Sent send(Outgoing m, int n, long nowNanos) {
    boolean first = m.offset == 0;
    if (first) {
      Map<Integer, Long> numbers = m.unordered ? nextUnordered : nextOrdered;
      if (!m.unordered || interleaved) {
        m.seq = numbers.getOrDefault(m.streamId, 0L);
        numbers.put(m.streamId, (m.seq + 1) & (interleaved ? 0xFFFF_FFFFL : 0xFFFFL));
      } else {
        m.seq = 0; // DATA: unordered messages carry no SSN
      }
    }
    boolean last = m.offset + n == m.data.length;
    Fragment f =
        new Fragment(
            m.unordered,
            first,
            last,
            nextTsn++ & 0xFFFF_FFFFL,
            m.streamId,
            m.seq,
            m.ppid,
            m.fsn++,
            Arrays.copyOfRange(m.data, m.offset, m.offset + n));
    m.offset += n;
    queuedBytes -= n;
    Sent s = new Sent(f, f.toChunk(interleaved), m);
    s.sentAt = nowNanos;
    s.transmissions = 1;
    inFlight.put(unwrap(f.tsn()), s);
    if (last) {
      finish(m);
    } else if (interleaved) {
      turns.add(turns.poll()); // the next stream's turn, mid-message
    } else {
      current = m;
    }
    return s;
  }

  /** {@code m} leaves its queue (sent whole, or dropped): the next stream's turn. */
  private void finish(Outgoing m) {
    queuedBytes -= m.data.length - m.offset;
    m.offset = m.data.length;
    current = null;
    ArrayDeque<Outgoing> q = queues.get(m.streamId);
    q.poll();
    Integer stream = turns.poll();
    if (!q.isEmpty()) {
      turns.add(stream);
    }
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
   * the "advanced peer ack point" and the sequence numbers to skip, per ordered stream (DATA), or
   * per stream and ordering (I-FORWARD-TSN, RFC 8260 §2.3). Empty when nothing was abandoned there.
   */
  java.util.Optional<Chunk> forwardTsn() {
    if (!forwardTsnDue) {
      return java.util.Optional.empty();
    }
    forwardTsnDue = false;
    long point = cumulativeAcked;
    Map<Long, Long> skips = new TreeMap<>(); // stream << 1 | unordered -> last sequence number
    for (Map.Entry<Long, Sent> e : inFlight.entrySet()) {
      if (e.getKey() != point + 1 || !e.getValue().abandoned) {
        break;
      }
      point++;
      Fragment f = e.getValue().fragment;
      if (!f.unordered() || interleaved) {
        skips.put((long) f.streamId() << 1 | (f.unordered() ? 1 : 0), f.seq());
      }
    }
    if (point == cumulativeAcked) {
      return java.util.Optional.empty();
    }
    long tsn = point & 0xFFFF_FFFFL;
    if (interleaved) {
      List<IForwardTsnChunk.Skip> list = new ArrayList<>();
      skips.forEach(
          (k, mid) -> list.add(new IForwardTsnChunk.Skip((int) (k >> 1), (k & 1) == 1, mid)));
      return java.util.Optional.of(new IForwardTsnChunk(tsn, list));
    }
    List<ForwardTsnChunk.StreamSequence> streams = new ArrayList<>();
    skips.forEach(
        (k, ssn) ->
            streams.add(new ForwardTsnChunk.StreamSequence((int) (k >> 1), ssn.intValue())));
    return java.util.Optional.of(new ForwardTsnChunk(tsn, streams));
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
        acked += s.size();
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
          acked += s.size();
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
      nextOrdered.clear();
      nextUnordered.clear();
    }
    for (int s : streams) {
      nextOrdered.remove(s);
      nextUnordered.remove(s);
    }
  }

  boolean idle() {
    return turns.isEmpty() && inFlight.isEmpty();
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
