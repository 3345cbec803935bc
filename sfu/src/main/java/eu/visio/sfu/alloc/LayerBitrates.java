package eu.visio.sfu.alloc;

import java.util.Arrays;

/**
 * Received bitrate of each (spatial, temporal) layer of one published video track, measured from
 * its packets over a sliding window of about one second, for the {@link StreamAllocator}.
 *
 * <p>Bytes are counted in a ring of {@value #BUCKETS} buckets of 100 ms, each holding one counter
 * per layer; a bucket is cleared when the clock enters it again. So a layer the publisher stops
 * sending (it lost bandwidth, or dynacast asked it to) falls to zero one window after its last
 * packet, and the allocator stops offering it.
 *
 * <p><b>Keyframes are measured apart.</b> A layer's cost is its delta frames' rate over that window
 * plus its keyframes' bytes over the last {@value #KEY_WINDOW_SECONDS} s, spread over those
 * seconds. Counted in the one-second window with the rest, a keyframe (ten or more delta frames'
 * worth from a browser) swells its layer's rate for a second. Every layer switch of any subscriber
 * asks for one, so under a full budget that swell alone lowered a subscriber's track at the next
 * allocation, whose way back up asked for another keyframe: layers flapped twice a second. Spread
 * over ten seconds a keyframe still costs what it takes on average (an encoder's periodic ones,
 * those asked for often), without the jolt.
 *
 * <p>A layer is {@linkplain #available available} once it has been received for {@value
 * #MIN_AGE_MILLIS} ms (its first keyframe alone would make a shorter measurement several times too
 * high) and until a whole window passes without a packet. Until then the allocator treats the track
 * as not measured. A rate is bytes over the time the layer has been present, at most one window.
 *
 * <p>What {@link #bitrate} counts follows what a subscriber must receive to decode the layer:
 * temporal layers are cumulative (t2 needs t0 and t1); spatial layers are cumulative only for SVC
 * (VP9/AV1 spatial layers predict from lower ones: {@code cumulativeSpatial}), while a simulcast
 * encoding is independent of the others.
 *
 * <p>At most {@value #MAX_LAYERS} spatial and temporal layers (VP8's TID is two bits); higher ids
 * are counted with the highest. Widths and heights are not measured: the owner sets them ({@link
 * #setSize}) from the SDP, the VP9 scalability structure or the AV1 dependency structure.
 *
 * <p>{@link #onPacket} is O(1) and does not allocate. Not thread-safe: owned by the media loop.
 * Times are caller-supplied nanoseconds from one monotonic clock.
 */
public final class LayerBitrates implements StreamAllocator.Layers {
  /** Most spatial and most temporal layers measured. */
  public static final int MAX_LAYERS = 4;

  static final int BUCKETS = 10;
  static final long BUCKET_NANOS = 100_000_000L;
  static final long WINDOW_NANOS = BUCKETS * BUCKET_NANOS;
  static final int MIN_AGE_MILLIS = 500;
  static final int KEY_WINDOW_SECONDS = 10;
  private static final long KEY_BUCKET_NANOS = 1_000_000_000L;
  private static final long MIN_AGE_NANOS = MIN_AGE_MILLIS * 1_000_000L;
  private static final long NEVER = Long.MIN_VALUE;
  private static final int LAYERS = MAX_LAYERS * MAX_LAYERS;

  private final boolean cumulativeSpatial;
  private final int configuredSpatial;

  /** bytes[bucket * 16 + spatial * 4 + temporal]. */
  private final long[] bytes = new long[BUCKETS * LAYERS];

  /** Which 100 ms interval (now / 100 ms) each ring slot currently holds. */
  private final long[] bucketId = new long[BUCKETS];

  /** Keyframe bytes, keyBytes[second * 4 + spatial], in a ring of one-second buckets. */
  private final long[] keyBytes = new long[KEY_WINDOW_SECONDS * MAX_LAYERS];

  /** Which second (now / 1 s) each keyframe ring slot currently holds. */
  private final long[] keyBucketId = new long[KEY_WINDOW_SECONDS];

  private final long[] firstSeen = new long[MAX_LAYERS];
  private final long[] lastSeen = new long[MAX_LAYERS];
  private final int[] widths = new int[MAX_LAYERS];
  private final int[] heights = new int[MAX_LAYERS];
  private long latestNanos = NEVER;
  private int maxSpatialSeen = -1;
  private int maxTemporalSeen = -1;

  /**
   * Measures a track with {@code spatialCount} spatial layers (simulcast encodings or SVC spatial
   * layers, from the SDP; 1 for a single stream), which are cumulative when {@code
   * cumulativeSpatial} (SVC).
   */
  public LayerBitrates(int spatialCount, boolean cumulativeSpatial) {
    this.configuredSpatial = Math.clamp(spatialCount, 1, MAX_LAYERS);
    this.cumulativeSpatial = cumulativeSpatial;
    Arrays.fill(bucketId, NEVER);
    Arrays.fill(keyBucketId, NEVER);
    Arrays.fill(firstSeen, NEVER);
    Arrays.fill(lastSeen, NEVER);
  }

  /**
   * Counts one received packet of a delta frame of layer ({@code spatial}, {@code temporal}) of
   * {@code bytes} bytes (the RTP payload, or the whole packet: be consistent). Ids out of range are
   * clamped.
   */
  public void onPacket(int spatial, int temporal, int bytes, long nowNanos) {
    onPacket(spatial, temporal, bytes, false, nowNanos);
  }

  /**
   * Counts one received packet of layer ({@code spatial}, {@code temporal}), any packet of a
   * keyframe when {@code keyframe}.
   */
  public void onPacket(int spatial, int temporal, int bytes, boolean keyframe, long nowNanos) {
    if (bytes <= 0) {
      return;
    }
    int s = Math.clamp(spatial, 0, MAX_LAYERS - 1);
    int t = Math.clamp(temporal, 0, MAX_LAYERS - 1);
    // A packet stamped before the latest one (clock read earlier on another path) counts as now.
    long now = latestNanos == NEVER ? nowNanos : Math.max(nowNanos, latestNanos);
    latestNanos = now;
    long id = Math.floorDiv(now, BUCKET_NANOS);
    if (keyframe) {
      long second = Math.floorDiv(now, KEY_BUCKET_NANOS);
      int keySlot = (int) Math.floorMod(second, (long) KEY_WINDOW_SECONDS);
      if (keyBucketId[keySlot] != second) {
        Arrays.fill(keyBytes, keySlot * MAX_LAYERS, (keySlot + 1) * MAX_LAYERS, 0L);
        keyBucketId[keySlot] = second;
      }
      keyBytes[keySlot * MAX_LAYERS + s] += bytes;
    } else {
      int slot = (int) Math.floorMod(id, (long) BUCKETS);
      int base = slot * LAYERS;
      if (bucketId[slot] != id) {
        Arrays.fill(this.bytes, base, base + LAYERS, 0L);
        bucketId[slot] = id;
      }
      this.bytes[base + s * MAX_LAYERS + t] += bytes;
    }
    if (!inWindow(s, id)) {
      firstSeen[s] = now; // the layer (re)starts: measure it from here
    }
    lastSeen[s] = now;
    maxSpatialSeen = Math.max(maxSpatialSeen, s);
    maxTemporalSeen = Math.max(maxTemporalSeen, t);
  }

  /** Sets the resolution of spatial layer {@code spatial} (0 = unknown). */
  public void setSize(int spatial, int width, int height) {
    if (spatial < 0 || spatial >= MAX_LAYERS) {
      return;
    }
    widths[spatial] = Math.max(0, width);
    heights[spatial] = Math.max(0, height);
  }

  /**
   * Bit/s needed to receive spatial layer {@code spatial} up to temporal layer {@code temporal}:
   * every temporal layer up to it, and for SVC every spatial layer below it too. 0 when nothing of
   * it arrived in the last window.
   */
  @Override
  public long bitrate(int spatial, int temporal, long nowNanos) {
    if (spatial < 0 || temporal < 0 || latestNanos == NEVER) {
      return 0;
    }
    int s = Math.min(spatial, MAX_LAYERS - 1);
    int t = Math.min(temporal, MAX_LAYERS - 1);
    long now = Math.max(nowNanos, latestNanos);
    long sum = 0;
    for (int layer = cumulativeSpatial ? 0 : s; layer <= s; layer++) {
      sum += layerBitrate(layer, t, now);
    }
    return sum;
  }

  /** Whether spatial layer {@code spatial} arrives and has been measured long enough to use. */
  @Override
  public boolean available(int spatial, long nowNanos) {
    if (spatial < 0 || spatial >= MAX_LAYERS || lastSeen[spatial] == NEVER) {
      return false;
    }
    long now = Math.max(nowNanos, latestNanos);
    return inWindow(spatial, Math.floorDiv(now, BUCKET_NANOS))
        && now - firstSeen[spatial] >= MIN_AGE_NANOS;
  }

  /** The configured spatial layer count, or more if packets of higher layers arrived. */
  @Override
  public int spatialCount() {
    return Math.max(configuredSpatial, maxSpatialSeen + 1);
  }

  /** Temporal layers seen since creation (highest id + 1), 0 before any packet. */
  @Override
  public int temporalCount() {
    return maxTemporalSeen + 1;
  }

  @Override
  public int width(int spatial) {
    return spatial >= 0 && spatial < MAX_LAYERS ? widths[spatial] : 0;
  }

  @Override
  public int height(int spatial) {
    return spatial >= 0 && spatial < MAX_LAYERS ? heights[spatial] : 0;
  }

  /** Whether spatial layer {@code s} has bytes in the window ending in bucket {@code nowId}. */
  private boolean inWindow(int s, long nowId) {
    return lastSeen[s] != NEVER && Math.floorDiv(lastSeen[s], BUCKET_NANOS) > nowId - BUCKETS;
  }

  /** One spatial layer's rate up to temporal layer {@code t}, over the time it has been present. */
  private long layerBitrate(int s, int t, long now) {
    long nowId = Math.floorDiv(now, BUCKET_NANOS);
    if (!inWindow(s, nowId)) {
      return 0;
    }
    long oldestId = nowId - BUCKETS + 1;
    long total = 0;
    for (int slot = 0; slot < BUCKETS; slot++) {
      long id = bucketId[slot];
      if (id >= oldestId && id <= nowId) {
        int base = slot * LAYERS + s * MAX_LAYERS;
        for (int tid = 0; tid <= t; tid++) {
          total += bytes[base + tid];
        }
      }
    }
    long windowStart = Math.max(oldestId * BUCKET_NANOS, firstSeen[s]);
    // At least one bucket, so a layer that just started does not divide by almost nothing.
    long duration = Math.max(now - windowStart, BUCKET_NANOS);
    return (long) (total * 8e9 / duration) + keyframeBitrate(s, now);
  }

  /** Spatial layer {@code s}'s keyframe bytes of the last seconds, spread over all of them. */
  private long keyframeBitrate(int s, long now) {
    long second = Math.floorDiv(now, KEY_BUCKET_NANOS);
    long total = 0;
    for (int slot = 0; slot < KEY_WINDOW_SECONDS; slot++) {
      long id = keyBucketId[slot];
      if (id > second - KEY_WINDOW_SECONDS && id <= second) {
        total += keyBytes[slot * MAX_LAYERS + s];
      }
    }
    return total * 8 / KEY_WINDOW_SECONDS;
  }
}
