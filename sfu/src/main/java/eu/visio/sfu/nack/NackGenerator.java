package eu.visio.sfu.nack;

import eu.visio.media.rtcp.GenericNack;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which packets of one published stream to NACK towards its publisher (RFC 4585 §6.2.1,
 * Generic NACK), and when. One instance per received media SSRC, owned by the media worker.
 *
 * <p>Per packet the forwarding core calls {@link #onPacket} (or {@link #onRtx} for a packet
 * recovered from an RTX stream, RFC 4588 §4) with the extended sequence number; once per RTCP tick
 * it calls {@link #collect} for the numbers to put in a NACK now, and {@link #takeKeyframeRequest}
 * to learn whether NACKing was abandoned in favour of a keyframe request.
 *
 * <p>Timing, after libwebrtc's NackRequester and pion's generator:
 *
 * <ul>
 *   <li>A gap is first NACKed once it is older than a small reordering delay, or once {@link
 *       Config#reorderPackets} packets newer than it have arrived: a packet that is merely
 *       reordered arrives before that and is never NACKed.
 *   <li>A NACKed number is NACKed again every {@code max(RTT, minRetryInterval)}, because the
 *       retransmission cannot arrive sooner than one round trip, up to {@link Config#maxRetries}
 *       times, and never once it is older than {@link Config#maxAgeNanos} (the decoder has moved
 *       on).
 *   <li>When more numbers are missing than the tracker holds, retransmission cannot repair the
 *       stream in time: everything is forgotten and a keyframe is requested instead.
 *   <li>A jump of more than {@link Config#maxJump} numbers (publisher restart, long outage) resets
 *       the tracker instead of NACKing thousands of packets, and also asks for a keyframe.
 * </ul>
 *
 * <p>Missing numbers are kept in a preallocated ring in ascending order (gaps are only ever found
 * above the highest number so far), so arrivals find their entry by binary search and entries
 * removed in the middle become tombstones reclaimed when the head passes them. {@link #onPacket}
 * and {@link #collect} never allocate; {@link #toGenericNack} (once per NACK sent) does.
 */
public final class NackGenerator {
  /**
   * Tuning.
   *
   * @param capacity most missing numbers tracked at once, a power of two; more is a keyframe
   * @param reorderDelayNanos age at which a gap is first NACKed
   * @param reorderPackets newer packets after which a gap is first NACKed, whatever its age
   * @param minRetryIntervalNanos floor of the interval between NACKs of one number
   * @param maxRetries NACKs sent per number before giving up on it
   * @param maxAgeNanos age after which a missing number is abandoned
   * @param maxJump sequence jump (either direction) treated as a new stream
   */
  public record Config(
      int capacity,
      long reorderDelayNanos,
      int reorderPackets,
      long minRetryIntervalNanos,
      int maxRetries,
      long maxAgeNanos,
      int maxJump) {
    /** 256 tracked, 5 ms or 3 packets of reordering, ≥ 10 ms between retries, 10 retries, 1 s. */
    public static final Config DEFAULT =
        new Config(256, 5_000_000L, 3, 10_000_000L, 10, 1_000_000_000L, 3000);

    public Config {
      if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
        throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
      }
      if (reorderDelayNanos < 0
          || reorderPackets < 1
          || minRetryIntervalNanos < 0
          || maxRetries < 1
          || maxAgeNanos <= 0
          || maxJump < 1) {
        throw new IllegalArgumentException("bad NACK config");
      }
    }
  }

  /** RTT assumed until one is measured (libwebrtc's default). */
  public static final long DEFAULT_RTT_NANOS = 100_000_000L;

  private static final int REMOVED = -1;

  private final Config config;
  private final int mask;
  // The ring of missing numbers, ascending from head; tries == REMOVED marks a tombstone.
  private final long[] seqs;
  private final long[] detectedAt;
  private final long[] lastSentAt;
  private final long[] advancesAtDetection;
  private final int[] tries;
  private int head;
  private int size;
  private int live;

  private boolean started;
  private long highest;
  private long advances;
  private long rttNanos = DEFAULT_RTT_NANOS;
  private boolean keyframeNeeded;

  private long nacksSent;
  private long recovered;
  private long recoveredRtx;
  private long givenUpRetries;
  private long givenUpAge;
  private long overflows;
  private long jumps;
  private long duplicates;

  public NackGenerator(Config config) {
    this.config = config;
    this.mask = config.capacity() - 1;
    int n = config.capacity();
    this.seqs = new long[n];
    this.detectedAt = new long[n];
    this.lastSentAt = new long[n];
    this.advancesAtDetection = new long[n];
    this.tries = new int[n];
  }

  public NackGenerator() {
    this(Config.DEFAULT);
  }

  /** Round-trip time to the publisher (e.g. from its receiver reports' LSR/DLSR). */
  public void setRttNanos(long rttNanos) {
    if (rttNanos > 0) {
      this.rttNanos = rttNanos;
    }
  }

  public long rttNanos() {
    return rttNanos;
  }

  /** A media packet arrived. Per packet; does not allocate. */
  public void onPacket(long extSeq, long nowNanos) {
    if (!started) {
      started = true;
      highest = extSeq;
      advances++;
      return;
    }
    long d = extSeq - highest;
    if (d > config.maxJump() || d < -config.maxJump()) {
      clearEntries();
      highest = extSeq;
      advances++;
      jumps++;
      keyframeNeeded = true;
      return;
    }
    arrived(extSeq, d, nowNanos, false);
  }

  /**
   * A packet was recovered from the RTX stream; {@code extSeq} is its original sequence number
   * (OSN) unwrapped against the media stream. Out-of-range numbers are ignored rather than reset.
   */
  public void onRtx(long extSeq, long nowNanos) {
    if (!started) {
      // A retransmission can come first (the media packet was lost before anything arrived): it
      // is still the packet, so it starts the stream like one; otherwise we would NACK what we
      // have.
      onPacket(extSeq, nowNanos);
      return;
    }
    long d = extSeq - highest;
    if (d <= config.maxJump() && d >= -config.maxJump()) {
      arrived(extSeq, d, nowNanos, true);
    }
  }

  private void arrived(long extSeq, long d, long nowNanos, boolean rtx) {
    if (d > 0) {
      if (d > 1) {
        addMissing(highest + 1, d - 1, nowNanos);
      }
      highest = extSeq;
      advances++;
      return;
    }
    int i = find(extSeq);
    if (i < 0) {
      duplicates++; // already received, abandoned, or never missing
      return;
    }
    remove(i);
    if (rtx) {
      recoveredRtx++;
    } else {
      recovered++;
    }
  }

  /**
   * Writes the 16-bit sequence numbers to NACK now into {@code out}, ascending (wrap-aware), and
   * returns how many. Numbers that do not fit wait for the next call. Also abandons numbers past
   * their age or retry budget. Once per RTCP tick; does not allocate.
   */
  public int collect(long nowNanos, int[] out) {
    int n = 0;
    long interval = Math.max(rttNanos, config.minRetryIntervalNanos());
    for (int i = 0; i < size && n < out.length; i++) {
      int s = (head + i) & mask;
      int t = tries[s];
      if (t == REMOVED) {
        continue;
      }
      if (nowNanos - detectedAt[s] > config.maxAgeNanos()) {
        drop(i);
        givenUpAge++;
        continue;
      }
      boolean due =
          t == 0
              ? nowNanos - detectedAt[s] >= config.reorderDelayNanos()
                  || advances - advancesAtDetection[s] >= config.reorderPackets()
              : nowNanos - lastSentAt[s] >= interval;
      if (!due) {
        continue;
      }
      if (t >= config.maxRetries()) {
        drop(i);
        givenUpRetries++;
        continue;
      }
      out[n++] = (int) seqs[s] & 0xFFFF;
      lastSentAt[s] = nowNanos;
      tries[s] = t + 1;
      nacksSent++;
    }
    trimHead();
    return n;
  }

  /** Whether a keyframe should be requested (losses beyond NACK repair); clears the signal. */
  public boolean takeKeyframeRequest() {
    boolean k = keyframeNeeded;
    keyframeNeeded = false;
    return k;
  }

  /** Forgets the stream (e.g. the publisher's SSRC changed). */
  public void reset() {
    clearEntries();
    started = false;
    keyframeNeeded = false;
  }

  /** Numbers currently missing and still being NACKed. */
  public int missing() {
    return live;
  }

  /** Highest extended sequence number seen. */
  public long highest() {
    return highest;
  }

  /** Sequence numbers put into NACKs so far (each retry counts). */
  public long nacksSent() {
    return nacksSent;
  }

  /** Missing packets that arrived late on the media stream. */
  public long recovered() {
    return recovered;
  }

  /** Missing packets recovered from the RTX stream. */
  public long recoveredRtx() {
    return recoveredRtx;
  }

  /** Missing packets abandoned after {@link Config#maxRetries} NACKs. */
  public long givenUpRetries() {
    return givenUpRetries;
  }

  /** Missing packets abandoned after {@link Config#maxAgeNanos}. */
  public long givenUpAge() {
    return givenUpAge;
  }

  /** Times the tracker overflowed and a keyframe was requested instead. */
  public long overflows() {
    return overflows;
  }

  /** Times a sequence jump reset the tracker. */
  public long jumps() {
    return jumps;
  }

  /** Packets that were neither new nor missing: duplicates, or late after being abandoned. */
  public long duplicates() {
    return duplicates;
  }

  private void addMissing(long from, long count, long nowNanos) {
    if (live + count > seqs.length) {
      // libwebrtc does the same past kMaxNackPackets: NACKing this much would not beat a keyframe.
      clearEntries();
      overflows++;
      keyframeNeeded = true;
      return;
    }
    if (size + count > seqs.length) {
      compact();
    }
    for (long k = 0; k < count; k++) {
      int s = (head + size) & mask;
      seqs[s] = from + k;
      detectedAt[s] = nowNanos;
      lastSentAt[s] = 0;
      advancesAtDetection[s] = advances;
      tries[s] = 0;
      size++;
      live++;
    }
  }

  /** Logical index of the live entry for {@code extSeq}, or -1. */
  private int find(long extSeq) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long v = seqs[(head + mid) & mask];
      if (v < extSeq) {
        lo = mid + 1;
      } else if (v > extSeq) {
        hi = mid - 1;
      } else {
        return tries[(head + mid) & mask] == REMOVED ? -1 : mid;
      }
    }
    return -1;
  }

  private void remove(int i) {
    drop(i);
    trimHead();
  }

  private void drop(int i) {
    tries[(head + i) & mask] = REMOVED;
    live--;
  }

  private void trimHead() {
    while (size > 0 && tries[head] == REMOVED) {
      head = (head + 1) & mask;
      size--;
    }
  }

  /** Squeezes out tombstones, keeping order; only when the ring is physically full. */
  private void compact() {
    int w = 0;
    for (int i = 0; i < size; i++) {
      int r = (head + i) & mask;
      if (tries[r] == REMOVED) {
        continue;
      }
      int d = (head + w) & mask;
      if (d != r) {
        seqs[d] = seqs[r];
        detectedAt[d] = detectedAt[r];
        lastSentAt[d] = lastSentAt[r];
        advancesAtDetection[d] = advancesAtDetection[r];
        tries[d] = tries[r];
      }
      w++;
    }
    size = w;
  }

  private void clearEntries() {
    head = 0;
    size = 0;
    live = 0;
  }

  /**
   * Packs ascending 16-bit numbers into Generic NACK FCI entries without allocating: each {@code
   * entries[i]} is {@code PID << 16 | BLP} (RFC 4585 §6.2.1). Returns the number of entries; stops
   * when {@code entries} is full.
   */
  public static int pack(int[] seqs, int n, int[] entries) {
    int count = 0;
    int pid = -1;
    int blp = 0;
    for (int i = 0; i < n; i++) {
      int seq = seqs[i] & 0xFFFF;
      int d = pid < 0 ? -1 : (seq - pid) & 0xFFFF;
      if (d == 0) {
        continue;
      }
      if (d >= 1 && d <= 16) {
        blp |= 1 << (d - 1);
        continue;
      }
      if (pid >= 0) {
        if (count == entries.length) {
          return count;
        }
        entries[count++] = pid << 16 | blp;
      }
      pid = seq;
      blp = 0;
    }
    if (pid >= 0 && count < entries.length) {
      entries[count++] = pid << 16 | blp;
    }
    return count;
  }

  /** The Generic NACK for the first {@code n} numbers of {@code seqs}; allocates. */
  public static GenericNack toGenericNack(int senderSsrc, int mediaSsrc, int[] seqs, int n) {
    List<Integer> lost = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      lost.add(seqs[i]);
    }
    return GenericNack.fromLost(senderSsrc, mediaSsrc, lost);
  }
}
