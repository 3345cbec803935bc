package eu.visio.sfu.nack;

import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.rtp.SequenceNumbers;
import java.util.Arrays;

/**
 * The retransmission buffer of one published RTP stream (one media SSRC): every received, decrypted
 * packet is copied once into a slab ring and every subscriber's NACK (RFC 4585 §6.2.1) is answered
 * from that single copy. Subscribers copy the packet out and re-apply their own rewrite (SSRC,
 * sequence number, timestamp, extension ids), so nothing is stored per subscriber.
 *
 * <p>Layout: one preallocated {@code byte[]} of {@code capacity} slots of {@code slotSize} bytes; a
 * packet with extended sequence number {@code s} lives in slot {@code s & (capacity - 1)}. The
 * slot's extended sequence number, length and arrival time sit in parallel primitive arrays, and
 * every read checks the stored sequence number, so a slot overwritten by a later cycle of the ring
 * is never returned for an older number. Storing and reading never allocate.
 *
 * <p>Sizing: 512 slots hold about 4 s of 1 Mb/s video (about 120 packets/s); each slot costs {@code
 * slotSize} bytes, so a 512 × 1,500 ring is 768 KB per published video stream.
 *
 * <p>Not thread-safe: owned by the room's media worker, like the rest of the forwarding core.
 */
public final class PacketHistory {
  /** Default slot size: a full Ethernet MTU, more than any SRTP-decrypted WebRTC packet. */
  public static final int DEFAULT_SLOT_SIZE = 1500;

  private static final long EMPTY = Long.MIN_VALUE;

  private final int mask;
  private final int slotSize;
  private final byte[] slab;
  private final long[] seqs;
  private final int[] lengths;
  private final long[] arrivals;
  private long highest = EMPTY;
  private long stored;
  private long rejected;

  /**
   * @param capacity number of slots, a power of two
   * @param slotSize largest packet stored, in bytes; longer packets are refused
   */
  public PacketHistory(int capacity, int slotSize) {
    if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    if (slotSize <= 0 || (long) capacity * slotSize > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("bad slot size: " + slotSize);
    }
    this.mask = capacity - 1;
    this.slotSize = slotSize;
    this.slab = new byte[capacity * slotSize];
    this.seqs = new long[capacity];
    this.lengths = new int[capacity];
    this.arrivals = new long[capacity];
    Arrays.fill(seqs, EMPTY);
  }

  /** A history of {@code capacity} slots of {@link #DEFAULT_SLOT_SIZE} bytes. */
  public PacketHistory(int capacity) {
    this(capacity, DEFAULT_SLOT_SIZE);
  }

  /**
   * Copies a packet into its slot. Refused (returns false) when it is too long, already stored (a
   * duplicate: a packet is stored once), or older than the packet now holding its slot (too late to
   * be useful, and it must not evict newer data).
   *
   * @param extSeq the packet's extended sequence number (e.g. from {@code ExtendedSequence})
   */
  public boolean store(byte[] buf, int off, int len, long extSeq, long nowNanos) {
    if (len <= 0 || len > slotSize || extSeq == EMPTY) {
      rejected++;
      return false;
    }
    int slot = (int) extSeq & mask;
    long current = seqs[slot];
    if (current != EMPTY && current >= extSeq) {
      rejected++;
      return false;
    }
    System.arraycopy(buf, off, slab, slot * slotSize, len);
    seqs[slot] = extSeq;
    lengths[slot] = len;
    arrivals[slot] = nowNanos;
    if (highest == EMPTY || extSeq > highest) {
      highest = extSeq;
    }
    stored++;
    return true;
  }

  /** {@link #store(byte[], int, int, long, long)} for a wrapped packet. */
  public boolean store(RtpPacket packet, long extSeq, long nowNanos) {
    return store(packet.buffer(), packet.offset(), packet.length(), extSeq, nowNanos);
  }

  /**
   * Copies the packet with extended sequence number {@code extSeq} into {@code dst} at {@code
   * dstOff} and returns its length, or -1 when it was never stored or has been overwritten. The
   * caller's buffer must have room for {@link #slotSize()} bytes from {@code dstOff}, or at least
   * for the packet.
   */
  public int read(long extSeq, byte[] dst, int dstOff) {
    int slot = slotOf(extSeq);
    if (slot < 0) {
      return -1;
    }
    int len = lengths[slot];
    System.arraycopy(slab, slot * slotSize, dst, dstOff, len);
    return len;
  }

  /** {@link #read(long, byte[], int)} for a 16-bit sequence number, see {@link #extend(int)}. */
  public int readSeq16(int seq, byte[] dst, int dstOff) {
    return highest == EMPTY ? -1 : read(extend(seq), dst, dstOff);
  }

  /** Whether the packet is in the history. */
  public boolean contains(long extSeq) {
    return slotOf(extSeq) >= 0;
  }

  /** Length of the stored packet, or -1 when absent. */
  public int length(long extSeq) {
    int slot = slotOf(extSeq);
    return slot < 0 ? -1 : lengths[slot];
  }

  /** Arrival time (as passed to {@link #store}) of the stored packet, or -1 when absent. */
  public long arrivalNanos(long extSeq) {
    int slot = slotOf(extSeq);
    return slot < 0 ? -1 : arrivals[slot];
  }

  /**
   * The extended sequence number a 16-bit {@code seq} stands for: the one nearest the highest
   * stored (RFC 3550 §A.1 style), so a NACK carrying raw 16-bit numbers finds packets across a
   * 65535 → 0 wrap. Meaningless before the first {@link #store}.
   */
  public long extend(int seq) {
    return highest + SequenceNumbers.diff(seq, (int) highest);
  }

  /** Highest extended sequence number stored, or {@code Long.MIN_VALUE} when empty. */
  public long highest() {
    return highest;
  }

  public int capacity() {
    return mask + 1;
  }

  public int slotSize() {
    return slotSize;
  }

  /** Packets stored since creation. */
  public long storedCount() {
    return stored;
  }

  /** Packets refused: too long, duplicate or too old for their slot. */
  public long rejectedCount() {
    return rejected;
  }

  /** Empties the history (e.g. after the publisher's SSRC changed); keeps the memory. */
  public void clear() {
    Arrays.fill(seqs, EMPTY);
    highest = EMPTY;
  }

  private int slotOf(long extSeq) {
    if (extSeq == EMPTY) {
      return -1;
    }
    int slot = (int) extSeq & mask;
    return seqs[slot] == extSeq ? slot : -1;
  }
}
