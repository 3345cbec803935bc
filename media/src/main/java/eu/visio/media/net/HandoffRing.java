package eu.visio.media.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;

/**
 * A bounded single-producer single-consumer queue of datagrams, from the media worker whose socket
 * received them to the worker that owns their endpoint.
 *
 * <p>Every slot is preallocated in one array, so a hand-off copies bytes and writes three array
 * cells, and allocates nothing. The producer publishes a filled slot by a release store of {@code
 * tail}; the consumer frees it by a release store of {@code head}; each side reads the other's
 * index with an acquire load (the producer only when its cached copy says the ring is full). No
 * lock, no CAS: exactly one thread may call {@link #offer} and exactly one (possibly another) may
 * call {@link #drain}.
 *
 * <p>Also used by the SFU to pipe a published track's packets to a room shard on another worker.
 *
 * @param <T> what the producer attaches to each datagram (the endpoint it was routed to)
 */
public final class HandoffRing<T> {
  private static final VarHandle HEAD;
  private static final VarHandle TAIL;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      HEAD = l.findVarHandle(HandoffRing.class, "head", long.class);
      TAIL = l.findVarHandle(HandoffRing.class, "tail", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Receives one handed-off datagram; {@code buf} is valid (and writable) during the call. */
  @FunctionalInterface
  public interface Consumer<T> {
    /**
     * {@code buf[off, off + len)} is the datagram; the slot has {@code slotRoom - len} more bytes
     * the consumer may write after it.
     */
    void accept(byte[] buf, int off, int len, InetSocketAddress remote, T tag);
  }

  private final int mask;
  private final int slotSize;
  private final byte[] slots;
  private final int[] lengths;
  private final InetSocketAddress[] remotes;
  private final Object[] tags;

  // Written by the consumer (release), read by the producer (acquire).
  @SuppressWarnings("unused") // through HEAD
  private long head;

  // Written by the producer (release), read by the consumer (acquire).
  @SuppressWarnings("unused") // through TAIL
  private long tail;

  // Producer-only: its last view of head, and the datagrams it refused.
  private long headCache;
  private long refused;

  /**
   * @param capacity number of slots, a power of two
   * @param slotSize bytes per slot: the largest datagram plus the room a consumer may write after
   *     it
   */
  public HandoffRing(int capacity, int slotSize) {
    if (capacity < 1 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    if (slotSize < 1 || (long) capacity * slotSize > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("bad slot size " + slotSize);
    }
    this.mask = capacity - 1;
    this.slotSize = slotSize;
    this.slots = new byte[capacity * slotSize];
    this.lengths = new int[capacity];
    this.remotes = new InetSocketAddress[capacity];
    this.tags = new Object[capacity];
  }

  public int capacity() {
    return mask + 1;
  }

  /**
   * Producer: copies {@code buf[off, off + len)} into the next free slot.
   *
   * @return false, counting it, when every slot is still held by the consumer
   * @throws IllegalArgumentException if {@code len} exceeds the slot size
   */
  public boolean offer(byte[] buf, int off, int len, InetSocketAddress remote, T tag) {
    if (len > slotSize) {
      throw new IllegalArgumentException("datagram of " + len + " bytes > slot " + slotSize);
    }
    long t = (long) TAIL.get(this); // only this thread writes tail
    if (t - headCache > mask) {
      headCache = (long) HEAD.getAcquire(this);
      if (t - headCache > mask) {
        refused++;
        return false;
      }
    }
    int i = (int) t & mask;
    System.arraycopy(buf, off, slots, i * slotSize, len);
    lengths[i] = len;
    remotes[i] = remote;
    tags[i] = tag;
    TAIL.setRelease(this, t + 1);
    return true;
  }

  /**
   * Consumer: hands every datagram published so far to {@code consumer}, oldest first, freeing each
   * slot after its call returns.
   *
   * @return how many datagrams were consumed
   */
  @SuppressWarnings("unchecked") // tags holds only what offer stored, a T
  public int drain(Consumer<T> consumer) {
    long h = (long) HEAD.get(this); // only this thread writes head
    long end = (long) TAIL.getAcquire(this);
    for (long n = h; n < end; n++) {
      int i = (int) n & mask;
      InetSocketAddress remote = remotes[i];
      T tag = (T) tags[i];
      // Clear before freeing the slot, so the ring never keeps a closed endpoint reachable.
      remotes[i] = null;
      tags[i] = null;
      try {
        consumer.accept(slots, i * slotSize, lengths[i], remote, tag);
      } finally {
        HEAD.setRelease(this, n + 1);
      }
    }
    return (int) (end - h);
  }

  /** Datagrams refused because the ring was full. Exact on the producer, approximate elsewhere. */
  public long refused() {
    return refused;
  }
}
