package eu.visio.media.sctp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The receiving half of an association: which TSNs arrived (the cumulative TSN, gap blocks and
 * duplicates a SACK reports, RFC 9260 §6.2), fragments put back together (§6.9), and messages
 * handed over in their stream's order unless sent unordered (§6.6). TSNs are unwrapped to 64 bits
 * around the cumulative TSN (serial number arithmetic, RFC 1982), so wrap-around needs no special
 * case.
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

  private final long windowBytes;
  private long cumulative; // unwrapped: the last TSN received in sequence
  private final TreeSet<Long> above = new TreeSet<>(); // received beyond it
  private final List<Long> duplicates = new ArrayList<>();
  private final TreeMap<Long, DataChunk> fragments = new TreeMap<>(); // by unwrapped TSN
  private long bufferedBytes;
  private final Map<Integer, Integer> nextSsn = new HashMap<>();
  private final Map<Integer, TreeMap<Integer, Message>> waiting = new HashMap<>();

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
  private record Deferred(int ssn, Message message) {}

  private PendingReset pendingReset;
  private final List<Deferred> deferred = new ArrayList<>();

  ReceiveBuffer(long peerInitialTsn, long windowBytes) {
    this.cumulative = peerInitialTsn - 1;
    this.windowBytes = windowBytes;
  }

  private long unwrap(long tsn) {
    return cumulative + (int) (tsn - (cumulative & 0xFFFF_FFFFL));
  }

  /**
   * A DATA chunk arrived: returns the messages it completes, in delivery order; a duplicate is
   * noted for the next SACK, and a chunk beyond the window is dropped (the peer resends it).
   */
  List<Message> onData(DataChunk d) {
    long tsn = unwrap(d.tsn());
    if (tsn <= cumulative || above.contains(tsn)) {
      if (duplicates.size() < 16) {
        duplicates.add(d.tsn());
      }
      return List.of();
    }
    if (bufferedBytes + d.payload().length > windowBytes) {
      return List.of();
    }
    above.add(tsn);
    while (above.contains(cumulative + 1)) {
      above.remove(++cumulative);
    }
    fragments.put(tsn, d);
    bufferedBytes += d.payload().length;
    List<Message> out = new ArrayList<>();
    long[] first = new long[1];
    Message m = assemble(tsn, first);
    if (m != null) {
      deliver(m, d.ssn(), first[0], out);
    }
    return out;
  }

  /**
   * The message {@code tsn} belongs to, if all its fragments are here (consecutive TSNs B..E); its
   * first TSN goes to {@code firstTsn[0]}. Its bytes stay counted until it is handed over.
   */
  private Message assemble(long tsn, long[] firstTsn) {
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
    DataChunk head = fragments.get(first);
    for (long t = first; t <= last; t++) {
      payload.writeBytes(fragments.remove(t).payload());
    }
    firstTsn[0] = first;
    return new Message(head.streamId(), head.ppid(), head.unordered(), payload.toByteArray());
  }

  private void deliver(Message m, int ssn, long tsn, List<Message> out) {
    if (m.unordered()) {
      handOver(m, out);
      return;
    }
    if (pendingReset != null && tsn > pendingReset.lastTsn() && pendingReset.covers(m.streamId())) {
      deferred.add(new Deferred(ssn, m)); // of the new series, after the reset
      return;
    }
    TreeMap<Integer, Message> queue = waiting.computeIfAbsent(m.streamId(), s -> new TreeMap<>());
    Message replaced = queue.put(ssn, m);
    if (replaced != null) {
      bufferedBytes -= replaced.payload().length; // a peer reusing a sequence number
    }
    int next = nextSsn.getOrDefault(m.streamId(), 0);
    Message ready;
    while ((ready = queue.remove(next)) != null) {
      handOver(ready, out);
      next = (next + 1) & 0xFFFF;
    }
    nextSsn.put(m.streamId(), next);
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
    if (r.streams().length == 0) {
      nextSsn.clear();
      waiting.values().forEach(q -> q.values().forEach(m -> bufferedBytes -= m.payload().length));
      waiting.clear();
    } else {
      for (int stream : r.streams()) {
        nextSsn.remove(stream);
        TreeMap<Integer, Message> left = waiting.remove(stream);
        if (left != null) {
          left.values().forEach(m -> bufferedBytes -= m.payload().length);
        }
      }
    }
    List<Deferred> held = List.copyOf(deferred);
    deferred.clear();
    for (Deferred d : held) {
      deliver(d.message(), d.ssn(), Long.MAX_VALUE, out);
    }
    return r.streams();
  }

  /**
   * FORWARD TSN (RFC 3758 §3.6): the sender abandoned everything up to {@code newCumulativeTsn}.
   * Those TSNs count as received, their fragments are dropped, and each listed ordered stream moves
   * past the abandoned sequence number; returns the messages that frees for delivery.
   */
  List<Message> onForwardTsn(ForwardTsnChunk f) {
    long target = unwrap(f.newCumulativeTsn());
    if (target <= cumulative) {
      return List.of(); // old or duplicate: the SACK that follows says where we are
    }
    while (!fragments.isEmpty() && fragments.firstKey() <= target) {
      bufferedBytes -= fragments.pollFirstEntry().getValue().payload().length;
    }
    above.headSet(target, true).clear();
    cumulative = target;
    while (above.contains(cumulative + 1)) {
      above.remove(++cumulative);
    }
    List<Message> out = new ArrayList<>();
    for (ForwardTsnChunk.StreamSequence skip : f.streams()) {
      int stream = skip.streamId();
      int next = (skip.ssn() + 1) & 0xFFFF;
      TreeMap<Integer, Message> queue = waiting.computeIfAbsent(stream, x -> new TreeMap<>());
      int current = nextSsn.getOrDefault(stream, 0);
      if ((short) (next - current) > 0) {
        // Messages it abandoned that were still waiting: before {@code next} in serial order
        // (RFC 1982), which a TreeMap's integer order gets wrong across the wrap.
        for (var it = queue.entrySet().iterator(); it.hasNext(); ) {
          var e = it.next();
          if ((short) (e.getKey() - next) < 0) {
            bufferedBytes -= e.getValue().payload().length;
            it.remove();
          }
        }
        nextSsn.put(stream, next);
        Message ready;
        while ((ready = queue.remove(nextSsn.get(stream))) != null) {
          handOver(ready, out);
          nextSsn.put(stream, (nextSsn.get(stream) + 1) & 0xFFFF);
        }
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
