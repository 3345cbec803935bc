package eu.visio.sfu.alloc;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynacast for one published video track: the highest spatial layer any subscriber wants, so that
 * signalling can tell the publisher to stop encoding the layers above it (and the whole video when
 * nobody wants any), saving its CPU and uplink.
 *
 * <p>Each subscriber {@link #set}s the spatial layer its preferences ask for ({@link
 * StreamAllocator#preferredSpatial}; not what bandwidth currently allows it, or a layer would stop
 * for good while nobody can afford it). {@link #poll}, from a timer, then reports the maximum with
 * asymmetric timing: a rise at once (a subscriber waits for that layer), a fall only once the lower
 * value has held for {@value #HOLD_MILLIS} ms (a subscriber resizing a window, or leaving and
 * coming back, must not make the publisher stop and restart a layer, which costs a keyframe each
 * time).
 *
 * <p>It starts with every layer needed, as LiveKit does: the publisher sends all its layers until
 * subscribers have said otherwise, and a track nobody subscribes to falls to {@link #NONE} after
 * the hold time.
 *
 * <p>Not thread-safe: owned by the publisher's media loop. Times are caller-supplied nanoseconds.
 */
public final class LayersNeeded {
  /** No layer needed: the publisher may stop the video. */
  public static final int NONE = -1;

  static final int HOLD_MILLIS = 3_000;
  private static final long HOLD_NANOS = HOLD_MILLIS * 1_000_000L;
  private static final long NEVER = Long.MIN_VALUE;
  private static final Logger log = LoggerFactory.getLogger(LayersNeeded.class);

  private final String trackId;
  private final int top;
  private final Map<Object, Integer> wanted = new HashMap<>();

  /** How many subscribers want each layer, index = layer + 1 (0 = none). */
  private final int[] counts;

  /** Last poll at which the wanted maximum was above each level, index = level + 1. */
  private final long[] lastAbove;

  private int reported;

  /** Dynacast for track {@code trackId} (used in logs) with {@code spatialCount} spatial layers. */
  public LayersNeeded(String trackId, int spatialCount) {
    this.trackId = trackId;
    this.top = Math.clamp(spatialCount, 1, LayerBitrates.MAX_LAYERS) - 1;
    this.counts = new int[top + 2];
    this.lastAbove = new long[top + 2];
    Arrays.fill(lastAbove, NEVER);
    this.reported = top;
  }

  /**
   * Sets the highest spatial layer subscriber {@code key} wants ({@link #NONE} for none; above the
   * top layer means the top). Any key with equals/hashCode: a subscriber id or a boxed handle.
   */
  public void set(Object key, int maxSpatial) {
    int layer = Math.clamp(maxSpatial, NONE, top);
    Integer old = wanted.put(key, layer);
    if (old != null) {
      counts[old + 1]--;
    }
    counts[layer + 1]++;
  }

  /** Forgets subscriber {@code key}. */
  public void remove(Object key) {
    Integer old = wanted.remove(key);
    if (old != null) {
      counts[old + 1]--;
    }
  }

  /**
   * Applies the timing rules at {@code nowNanos}; returns true when {@link #maxSpatial} changed, so
   * that the change is signalled once. Call every 100-500 ms (and after a {@link #set} that may
   * raise the value, to raise it at once).
   */
  public boolean poll(long nowNanos) {
    int want = wantedMax();
    for (int level = NONE; level <= top; level++) {
      if (want > level || lastAbove[level + 1] == NEVER) {
        lastAbove[level + 1] = nowNanos; // the first poll starts every hold
      }
    }
    int next;
    if (want >= reported) {
      next = want;
    } else {
      // The lowest level the wanted maximum has stayed at or under for the whole hold time.
      next = reported;
      for (int level = reported - 1; level >= want; level--) {
        if (nowNanos - lastAbove[level + 1] >= HOLD_NANOS) {
          next = level;
        } else {
          break;
        }
      }
    }
    if (next == reported) {
      return false;
    }
    if (log.isDebugEnabled()) {
      log.debug("track={} layers needed s{} -> s{}", trackId, reported, next);
    }
    reported = next;
    return true;
  }

  /** The highest spatial layer to encode as of the last {@link #poll}, {@link #NONE} for none. */
  public int maxSpatial() {
    return reported;
  }

  /** The highest layer subscribers want right now, before the timing rules. */
  public int wantedMax() {
    for (int level = top; level >= 0; level--) {
      if (counts[level + 1] > 0) {
        return level;
      }
    }
    return NONE;
  }
}
