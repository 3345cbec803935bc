package eu.visio.sfu.alloc;

import static eu.visio.sfu.alloc.StreamAllocator.NONE;

import eu.visio.sfu.alloc.StreamAllocator.Layers;
import java.util.Arrays;

/**
 * The layers a measured video track may be given in one allocation, in step order (s0t0, s0t1, ...,
 * s1t0, ...), each with what it costs: the rungs the allocator climbs one at a time.
 *
 * <p><b>Costs.</b> A layer costs its measured {@link Layers#bitrate}. Measurements are noisy and
 * not always monotonic (a keyframe on a low layer), so the layers are costed as a running maximum
 * in step order: a higher step never costs less, and a track's cost never undercounts what it
 * receives. Layers a publisher does not send ({@link Layers#available} false) are skipped.
 *
 * <p><b>Frame rate before size above 360p.</b> For a camera, a spatial layer taller than {@value
 * #FULL_RATE_ABOVE_HEIGHT} pixels (above the track's lowest) is offered only at the full frame rate
 * asked for: from 360p at 30 fps the next rung is 720p at 30 fps, not 720p at 7.5 or 15 fps, which
 * people on a call find worse than 360p at 30 (Jitsi's bridge does the same above its preferred
 * 360p, 30 fps). Below it, and for screen shares (where size matters more than motion), every
 * temporal layer is a rung.
 *
 * <p>Rebuilt in place at each allocation into arrays sized for the most layers a track can have:
 * nothing allocates.
 */
final class LayerLadder {
  /** Caps a reported rate so that sums and margins cannot overflow (1 Tbit/s). */
  static final long MAX_BPS = 1_000_000_000_000L;

  /** Spatial layers taller than this are offered only at full frame rate (cameras). */
  static final int FULL_RATE_ABOVE_HEIGHT = 360;

  private static final int MAX = LayerBitrates.MAX_LAYERS;

  private final int[] spatial = new int[MAX * MAX];
  private final int[] temporal = new int[MAX * MAX];
  private final long[] cost = new long[MAX * MAX];
  private final int[] indexOf = new int[MAX * MAX];
  private int count;

  /**
   * Fills the ladder with the available spatial layers from {@code lowest} to {@code highest}, each
   * with temporal layers 0 to {@code topTemporal} (only {@code topTemporal} above {@value
   * #FULL_RATE_ABOVE_HEIGHT}p when {@code frameRateFirst}).
   */
  void build(
      Layers layers, int lowest, int highest, int topTemporal, boolean frameRateFirst, long now) {
    Arrays.fill(indexOf, NONE);
    long running = 0;
    int k = 0;
    int sc = Math.clamp(layers.spatialCount(), 1, MAX);
    for (int s = lowest; s <= highest; s++) {
      if (!layers.available(s, now)) {
        continue;
      }
      boolean fullRateOnly =
          frameRateFirst
              && s > lowest
              && LayerPreference.height(layers, s, sc) > FULL_RATE_ABOVE_HEIGHT;
      for (int tl = fullRateOnly ? topTemporal : 0; tl <= topTemporal; tl++) {
        running = Math.max(running, Math.clamp(layers.bitrate(s, tl, now), 0, MAX_BPS));
        spatial[k] = s;
        temporal[k] = tl;
        cost[k] = running;
        indexOf[s * MAX + tl] = k;
        k++;
      }
    }
    count = k;
  }

  /** Rungs in the ladder, at least 1 after {@link #build} with an available layer. */
  int count() {
    return count;
  }

  /** The rung of layer s{@code s}t{@code tl}, {@link StreamAllocator#NONE} if not a candidate. */
  int indexOf(int s, int tl) {
    return indexOf[s * MAX + tl];
  }

  int spatial(int k) {
    return spatial[k];
  }

  int temporal(int k) {
    return temporal[k];
  }

  /** Bit/s rung {@code k} costs: never less than any rung below it. */
  long cost(int k) {
    return cost[k];
  }

  /** What the top rung (the layer the subscriber asked for, or the nearest sent) costs. */
  long topCost() {
    return cost[count - 1];
  }
}
