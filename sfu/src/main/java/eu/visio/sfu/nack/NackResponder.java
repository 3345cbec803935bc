package eu.visio.sfu.nack;

import eu.visio.media.rtcp.GenericNack;
import java.util.Arrays;

/**
 * Answers one subscriber's Generic NACKs (RFC 4585 §6.2.1) for one down track from the publisher's
 * {@link PacketHistory}. For each lost number it maps the subscriber's numbering back to the
 * source's, copies the packet out of the history into a scratch buffer and hands it to a {@link
 * Resender} that re-applies the subscriber's rewrite and sends it (as RTX when negotiated, RFC 4588
 * §4, else as is).
 *
 * <p>The same source packet is not resent more often than once per {@code max(RTT, minInterval)}: a
 * receiver re-NACKs about once per RTT, so a NACK arriving sooner is for a retransmission still in
 * flight (libwebrtc's RTPSender applies the same rule). The last resend time of each source number
 * sits in a small preallocated ring. No allocation per lost number.
 *
 * <p>Counters say what became of every requested number: served, missing from the history (evicted
 * or never received), rate-limited, or unmapped (the subscriber never got that number from this
 * source, e.g. it was sent before a layer switch).
 */
public final class NackResponder {
  /** Maps a subscriber sequence number back to the source's 16-bit number, or -1 if none. */
  @FunctionalInterface
  public interface SequenceMap {
    int sourceSequence(int subscriberSeq);
  }

  /**
   * Sends a retransmission. {@code buf[off, off + len)} holds the source packet as the publisher
   * sent it (decrypted); it is a scratch copy the callee may rewrite in place.
   */
  @FunctionalInterface
  public interface Resender {
    void resend(int subscriberSeq, byte[] buf, int off, int len);
  }

  /** Floor of the per-packet resend interval. */
  public static final long DEFAULT_MIN_INTERVAL_NANOS = 10_000_000L;

  private static final long NONE = Long.MIN_VALUE;

  private final int mask;
  private final long minIntervalNanos;
  private final long[] sentSeq;
  private final long[] sentAt;
  private long rttNanos = NackGenerator.DEFAULT_RTT_NANOS;

  private long served;
  private long missingFromHistory;
  private long rateLimited;
  private long unmapped;

  /**
   * @param capacity size of the resend-time ring, a power of two (the history's capacity fits)
   * @param minIntervalNanos floor of the per-packet resend interval
   */
  public NackResponder(int capacity, long minIntervalNanos) {
    if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    this.mask = capacity - 1;
    this.minIntervalNanos = minIntervalNanos;
    this.sentSeq = new long[capacity];
    this.sentAt = new long[capacity];
    Arrays.fill(sentSeq, NONE);
  }

  /**
   * Forgets the resend times (a new source: numbers kept by the old one's history mean nothing
   * now); the counters go on, as they count what the subscriber asked for.
   */
  public void forget() {
    Arrays.fill(sentSeq, NONE);
  }

  /** Round-trip time to the subscriber. */
  public void setRttNanos(long rttNanos) {
    if (rttNanos > 0) {
      this.rttNanos = rttNanos;
    }
  }

  /**
   * Answers every number of {@code nack}; returns how many packets were resent. {@code scratch}
   * must hold {@link PacketHistory#slotSize()} bytes.
   */
  public int respond(
      GenericNack nack,
      SequenceMap map,
      PacketHistory history,
      byte[] scratch,
      Resender out,
      long nowNanos) {
    int n = 0;
    for (GenericNack.Entry e : nack.entries()) {
      int pid = e.pid();
      int blp = e.blp();
      if (respond(pid, map, history, scratch, out, nowNanos)) {
        n++;
      }
      for (int i = 0; i < 16; i++) {
        if ((blp & (1 << i)) != 0
            && respond((pid + i + 1) & 0xFFFF, map, history, scratch, out, nowNanos)) {
          n++;
        }
      }
    }
    return n;
  }

  /** Answers one lost subscriber sequence number; returns whether it was resent. */
  public boolean respond(
      int subscriberSeq,
      SequenceMap map,
      PacketHistory history,
      byte[] scratch,
      Resender out,
      long nowNanos) {
    int source = map.sourceSequence(subscriberSeq & 0xFFFF);
    if (source < 0 || history.highest() == Long.MIN_VALUE) {
      unmapped++;
      return false;
    }
    long ext = history.extend(source);
    int slot = (int) ext & mask;
    long interval = Math.max(rttNanos, minIntervalNanos);
    if (sentSeq[slot] == ext && nowNanos - sentAt[slot] < interval) {
      rateLimited++;
      return false;
    }
    int len = history.read(ext, scratch, 0);
    if (len < 0) {
      missingFromHistory++;
      return false;
    }
    sentSeq[slot] = ext;
    sentAt[slot] = nowNanos;
    served++;
    out.resend(subscriberSeq & 0xFFFF, scratch, 0, len);
    return true;
  }

  public long served() {
    return served;
  }

  public long missingFromHistory() {
    return missingFromHistory;
  }

  public long rateLimited() {
    return rateLimited;
  }

  public long unmapped() {
    return unmapped;
  }
}
