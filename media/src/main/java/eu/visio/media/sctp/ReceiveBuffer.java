package eu.visio.media.sctp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The receiving half of an association: which TSNs arrived (the cumulative TSN, gap blocks and
 * duplicates a SACK reports, RFC 9260 §6.2), fragments put back together, and messages handed over
 * in their stream's order unless sent unordered (§6.6). TSNs are unwrapped to 64 bits around the
 * cumulative TSN (serial number arithmetic, RFC 1982), so wrap-around needs no special case.
 *
 * <p>With DATA a message's fragments have consecutive TSNs (§6.9) and ordered messages carry a
 * 16-bit stream sequence number. With I-DATA (RFC 8260), negotiated when both ends offer it,
 * messages of different streams interleave: fragments are grouped by stream, ordering and 32-bit
 * message identifier, and placed by fragment sequence number.
 *
 * <p>Everything held counts against the window we advertise: fragments, whole messages waiting for
 * an earlier one of their stream, and messages held back by a stream reset. A peer that leaves a
 * hole therefore stalls only itself.
 *
 * <p>Incoming stream reset (RFC 6525 §5.2.2): the peer's streams restart at sequence number 0 once
 * everything it sent before the reset has arrived; its ordered messages sent after the reset wait
 * until then ("deferred reset processing").
 */
final class ReceiveBuffer {
  /** A complete user message. */
  record Message(int streamId, long ppid, boolean unordered, byte[] payload) {}

  /** The fragments of one I-DATA message: stream, ordering and message identifier. */
  private record MessageKey(int streamId, boolean unordered, long mid) {}

  /** A reset waiting for TSNs up to {@code lastTsn} (unwrapped); streams empty means all. */
  private record PendingReset(long lastTsn, int[] streams) {
    boolean covers(int stream) {
      if (streams.length == 0) {
        return true;
      }
      for (int s : streams) {
        if (s == stream) {
          return true;
        }
      }
      return false;
    }
  }

  /** An ordered message sent after a pending reset, with its sequence number in the new series. */
  private record Deferred(long seq, Message message) {}

  private final long windowBytes;
  private final boolean interleaved;
  private final long seqMask; // 16 bits for DATA's SSN, 32 for I-DATA's MID
  private long cumulative; // unwrapped: the last TSN received in sequence
  private final TreeSet<Long> above = new TreeSet<>(); // received beyond it
  private final List<Long> duplicates = new ArrayList<>();
  private final TreeMap<Long, Fragment> fragments = new TreeMap<>(); // DATA: by unwrapped TSN
  private final Map<MessageKey, TreeMap<Long, Fragment>> partial = new HashMap<>(); // I-DATA
  private long bufferedBytes;
  private final Map<Integer, Long> nextSeq = new HashMap<>();
  private final Map<Integer, Map<Long, Message>> waiting = new HashMap<>();
  private PendingReset pendingReset;
  private final List<Deferred> deferred = new ArrayList<>();

  ReceiveBuffer(long peerInitialTsn, long windowBytes) {
    this(peerInitialTsn, windowBytes, false);
  }

  ReceiveBuffer(long peerInitialTsn, long windowBytes, boolean interleaved) {
    this.cumulative = peerInitialTsn - 1;
    this.windowBytes = windowBytes;
    this.interleaved = interleaved;
    this.seqMask = interleaved ? 0xFFFF_FFFFL : 0xFFFFL;
  }

  private long unwrap(long tsn) {
    return cumulative + (int) (tsn - (cumulative & 0xFFFF_FFFFL));
  }

  /** Serial-number order of two sequence numbers of our width: negative if a is before b. */
  private long compareSeq(long a, long b) {
    return interleaved ? (int) (a - b) : (short) (a - b);
  }

  List<Message> onData(DataChunk d) {
    return onFragment(Fragment.of(d));
  }

  List<Message> onData(IDataChunk d) {
    return onFragment(Fragment.of(d));
  }

  /**
   * A chunk arrived: returns the messages it completes, in delivery order; a duplicate is noted for
   * the next SACK, and a chunk beyond the window is dropped (the peer resends it).
   */
  private List<Message> onFragment(Fragment f) {
    long tsn = unwrap(f.tsn());
    if (tsn <= cumulative || above.contains(tsn)) {
      if (duplicates.size() < 16) {
        duplicates.add(f.tsn());
      }
      return List.of();
    }
    if (bufferedBytes + f.payload().length > windowBytes) {
      return List.of();
    }
    above.add(tsn);
    while (above.contains(cumulative + 1)) {
      above.remove(++cumulative);
    }
    bufferedBytes += f.payload().length;
    Message m;
    if (interleaved) {
      MessageKey key = new MessageKey(f.streamId(), f.unordered(), f.seq());
      TreeMap<Long, Fragment> parts = partial.computeIfAbsent(key, k -> new TreeMap<>());
      parts.put(f.fsn(), f);
      m = assembleByFsn(key, parts);
    } else {
      fragments.put(tsn, f);
      m = assembleByTsn(tsn);
    }
    List<Message> out = new ArrayList<>();
    if (m != null) {
      deliver(m, f.seq(), tsn, out);
    }
    return out;
  }

  /** DATA: the message of {@code tsn} if all its fragments (consecutive TSNs B..E) are here. */
  private Message assembleByTsn(long tsn) {
    long first = tsn;
    while (!fragments.get(first).beginning()) {
      if (!fragments.containsKey(first - 1)) {
        return null;
      }
      first--;
    }
    long last = tsn;
    while (!fragments.get(last).ending()) {
      if (!fragments.containsKey(last + 1)) {
        return null;
      }
      last++;
    }
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    Fragment head = fragments.get(first);
    for (long t = first; t <= last; t++) {
      payload.writeBytes(fragments.remove(t).payload());
    }
    return new Message(head.streamId(), head.ppid(), head.unordered(), payload.toByteArray());
  }

  /** I-DATA: the message if it has its first fragment, its last, and every FSN between. */
  private Message assembleByFsn(MessageKey key, TreeMap<Long, Fragment> parts) {
    Fragment head = parts.get(0L);
    Fragment tail = parts.lastEntry().getValue();
    if (head == null || !head.beginning() || !tail.ending() || parts.size() != tail.fsn() + 1) {
      return null;
    }
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    for (Fragment f : parts.values()) {
      payload.writeBytes(f.payload());
    }
    partial.remove(key);
    return new Message(key.streamId(), head.ppid(), key.unordered(), payload.toByteArray());
  }

  private void deliver(Message m, long seq, long tsn, List<Message> out) {
    if (m.unordered()) {
      handOver(m, out);
      return;
    }
    if (pendingReset != null && tsn > pendingReset.lastTsn() && pendingReset.covers(m.streamId())) {
      deferred.add(new Deferred(seq, m)); // of the new series, after the reset
      return;
    }
    Map<Long, Message> queue = waiting.computeIfAbsent(m.streamId(), s -> new HashMap<>());
    Message replaced = queue.put(seq, m);
    if (replaced != null) {
      bufferedBytes -= replaced.payload().length; // a peer reusing a sequence number
    }
    long next = nextSeq.getOrDefault(m.streamId(), 0L);
    Message ready;
    while ((ready = queue.remove(next)) != null) {
      handOver(ready, out);
      next = (next + 1) & seqMask;
    }
    nextSeq.put(m.streamId(), next);
  }

  private void handOver(Message m, List<Message> out) {
    bufferedBytes -= m.payload().length;
    out.add(m);
  }

  /**
   * The peer reset its outgoing {@code streams} (all when empty) after {@code lastTsn} (RFC 6525
   * §5.2.2). Returns false, changing nothing, while another reset is pending; the caller then
   * answers "in progress". Call {@link #resetIfReady} to perform it.
   */
  boolean requestReset(long lastTsn, int[] streams) {
    if (pendingReset != null) {
      return false;
    }
    pendingReset = new PendingReset(unwrap(lastTsn), streams.clone());
    return true;
  }

  boolean resetPending() {
    return pendingReset != null;
  }

  /**
   * Performs the pending reset once every TSN up to its last has arrived: the streams restart at
   * sequence number 0 and the messages held back are delivered. Returns the reset streams (empty:
   * all), or null if nothing was performed; {@code out} receives the freed messages.
   */
  int[] resetIfReady(List<Message> out) {
    PendingReset r = pendingReset;
    if (r == null || cumulative < r.lastTsn()) {
      return null;
    }
    pendingReset = null;
    for (Iterator<Map.Entry<Integer, Map<Long, Message>>> it = waiting.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Integer, Map<Long, Message>> e = it.next();
      if (r.covers(e.getKey())) {
        e.getValue().values().forEach(m -> bufferedBytes -= m.payload().length);
        it.remove();
      }
    }
    nextSeq.keySet().removeIf(r::covers);
    List<Deferred> held = List.copyOf(deferred);
    deferred.clear();
    for (Deferred d : held) {
      deliver(d.message(), d.seq(), Long.MAX_VALUE, out);
    }
    return r.streams();
  }

  /**
   * FORWARD TSN (RFC 3758 §3.6) or I-FORWARD-TSN (RFC 8260 §2.3): the sender abandoned everything
   * up to {@code newCumulativeTsn}. Those TSNs count as received, their fragments are dropped, and
   * each listed ordered stream moves past the abandoned sequence number; returns the messages that
   * frees for delivery.
   */
  List<Message> onForwardTsn(ForwardTsnChunk f) {
    List<long[]> skips = new ArrayList<>();
    for (ForwardTsnChunk.StreamSequence s : f.streams()) {
      skips.add(new long[] {s.streamId(), s.ssn()});
    }
    return forward(f.newCumulativeTsn(), skips);
  }

  List<Message> onForwardTsn(IForwardTsnChunk f) {
    List<long[]> skips = new ArrayList<>();
    for (IForwardTsnChunk.Skip s : f.skips()) {
      if (!s.unordered()) { // unordered ones hold no place in a stream's order
        skips.add(new long[] {s.streamId(), s.mid()});
      }
    }
    return forward(f.newCumulativeTsn(), skips);
  }

  /** {@code skips}: (stream, last abandoned sequence number) of ordered streams. */
  private List<Message> forward(long newCumulativeTsn, List<long[]> skips) {
    long target = unwrap(newCumulativeTsn);
    if (target <= cumulative) {
      return List.of(); // old or duplicate: the SACK that follows says where we are
    }
    while (!fragments.isEmpty() && fragments.firstKey() <= target) {
      bufferedBytes -= fragments.pollFirstEntry().getValue().payload().length;
    }
    for (Iterator<TreeMap<Long, Fragment>> it = partial.values().iterator(); it.hasNext(); ) {
      TreeMap<Long, Fragment> parts = it.next();
      parts
          .values()
          .removeIf(
              p -> {
                boolean gone = unwrap(p.tsn()) <= target;
                if (gone) {
                  bufferedBytes -= p.payload().length;
                }
                return gone;
              });
      if (parts.isEmpty()) {
        it.remove();
      }
    }
    above.headSet(target, true).clear();
    cumulative = target;
    while (above.contains(cumulative + 1)) {
      above.remove(++cumulative);
    }
    List<Message> out = new ArrayList<>();
    for (long[] skip : skips) {
      int stream = (int) skip[0];
      long next = (skip[1] + 1) & seqMask;
      Map<Long, Message> queue = waiting.computeIfAbsent(stream, x -> new HashMap<>());
      long current = nextSeq.getOrDefault(stream, 0L);
      if (compareSeq(next, current) > 0) {
        // Messages it abandoned that were still waiting: before {@code next} in serial order.
        queue
            .entrySet()
            .removeIf(
                e -> {
                  boolean gone = compareSeq(e.getKey(), next) < 0;
                  if (gone) {
                    bufferedBytes -= e.getValue().payload().length;
                  }
                  return gone;
                });
        long n = next;
        Message ready;
        while ((ready = queue.remove(n)) != null) {
          handOver(ready, out);
          n = (n + 1) & seqMask;
        }
        nextSeq.put(stream, n);
      }
    }
    return out;
  }

  /** The SACK for what arrived so far; duplicates are reported once. */
  SackChunk sack() {
    List<SackChunk.GapBlock> gaps = new ArrayList<>();
    long start = -1;
    long prev = -1;
    for (long t : above) {
      if (t - cumulative > 0xFFFF) {
        break; // beyond what a gap block can say
      }
      if (start < 0) {
        start = prev = t;
      } else if (t == prev + 1) {
        prev = t;
      } else {
        gaps.add(new SackChunk.GapBlock((int) (start - cumulative), (int) (prev - cumulative)));
        start = prev = t;
      }
    }
    if (start >= 0) {
      gaps.add(new SackChunk.GapBlock((int) (start - cumulative), (int) (prev - cumulative)));
    }
    List<Long> dups = List.copyOf(duplicates);
    duplicates.clear();
    return new SackChunk(
        cumulative & 0xFFFF_FFFFL, Math.max(0, windowBytes - bufferedBytes), gaps, dups);
  }

  long cumulativeTsn() {
    return cumulative & 0xFFFF_FFFFL;
  }
}
