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
    Message m = assemble(tsn);
    if (m != null) {
      deliver(m, d.ssn(), out);
    }
    return out;
  }

  /** The message {@code tsn} belongs to, if all its fragments are here (consecutive TSNs B..E). */
  private Message assemble(long tsn) {
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
      DataChunk f = fragments.remove(t);
      bufferedBytes -= f.payload().length;
      payload.writeBytes(f.payload());
    }
    return new Message(head.streamId(), head.ppid(), head.unordered(), payload.toByteArray());
  }

  private void deliver(Message m, int ssn, List<Message> out) {
    if (m.unordered()) {
      out.add(m);
      return;
    }
    TreeMap<Integer, Message> queue = waiting.computeIfAbsent(m.streamId(), s -> new TreeMap<>());
    queue.put(ssn, m);
    int next = nextSsn.getOrDefault(m.streamId(), 0);
    Message ready;
    while ((ready = queue.remove(next)) != null) {
      out.add(ready);
      next = (next + 1) & 0xFFFF;
    }
    nextSsn.put(m.streamId(), next);
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
        queue.headMap(next).clear(); // messages it abandoned that were still waiting
        nextSsn.put(stream, next);
        Message ready;
        while ((ready = queue.remove(nextSsn.get(stream))) != null) {
          out.add(ready);
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
