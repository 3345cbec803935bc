package eu.visio.media.rtp;

/**
 * Unwraps a stream's 16-bit sequence numbers into a monotonic 64-bit counter (RFC 3550 §A.1 keeps
 * the same thing as {@code cycles} plus {@code max_seq}). Receivers use it for the "extended
 * highest sequence number received" of a report block (RFC 3550 §6.4.1) and for loss accounting.
 *
 * <p>Each value is placed at the unwrapped position closest to the previous packet, so reordering
 * across a wrap lands in the right cycle. The first packet defines cycle 0; a late packet from
 * before it yields a negative extended value. One instance per stream, not thread-safe; no
 * allocation.
 */
public final class ExtendedSequence {
  private boolean started;
  private long last;
  private long highest;

  /** Unwraps {@code seq} and returns its extended value; updates the highest seen. */
  public long update(int seq) {
    long ext = peek(seq);
    if (!started) {
      started = true;
      highest = ext;
    } else if (ext > highest) {
      highest = ext;
    }
    last = ext;
    return ext;
  }

  /** The extended value {@code seq} would get, without recording it. */
  public long peek(int seq) {
    if (!started) {
      return seq & 0xFFFF;
    }
    return last + SequenceNumbers.diff(seq, (int) last);
  }

  /** Whether any packet was seen. */
  public boolean started() {
    return started;
  }

  /** Highest extended sequence number seen (0 before the first packet). */
  public long highest() {
    return highest;
  }

  /** Number of sequence number wraps of the highest packet (RFC 3550 §A.1 {@code cycles}). */
  public long cycles() {
    return highest >> 16;
  }

  /**
   * The 32-bit "extended highest sequence number received" of an RTCP report block (RFC 3550
   * §6.4.1): low 16 bits the sequence number, high 16 bits the cycle count.
   */
  public int highest32() {
    return (int) highest;
  }

  /** Forgets the stream (e.g. after an SSRC change). */
  public void reset() {
    started = false;
    last = 0;
    highest = 0;
  }
}
