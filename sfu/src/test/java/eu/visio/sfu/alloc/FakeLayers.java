package eu.visio.sfu.alloc;

import java.util.Arrays;

/**
 * Layers with rates set by the test: {@code rates[s][t]} is already what a subscriber needs for (s,
 * t), i.e. cumulative as {@link StreamAllocator.Layers#bitrate} promises. A layer is available when
 * its rate row is non-null and it has not been switched off.
 */
final class FakeLayers implements StreamAllocator.Layers {
  static final long K = 1_000;

  final long[][] rates;
  final boolean[] off;
  final int[] widths;
  final int[] heights;
  int temporalCount;

  FakeLayers(long[][] rates) {
    this.rates = rates;
    this.off = new boolean[rates.length];
    this.widths = new int[rates.length];
    this.heights = new int[rates.length];
    this.temporalCount = rates.length == 0 ? 0 : rates[0].length;
  }

  /** Three simulcast encodings 320x180, 640x360, 1280x720 with three temporal layers each. */
  static FakeLayers simulcast() {
    return new FakeLayers(
            new long[][] {
              {60 * K, 90 * K, 150 * K}, {200 * K, 300 * K, 500 * K}, {700 * K, 1100 * K, 1700 * K}
            })
        .sizes(1280, 720);
  }

  /** Sets layer sizes halving from {@code topWidth} x {@code topHeight}. */
  FakeLayers sizes(int topWidth, int topHeight) {
    for (int s = 0; s < widths.length; s++) {
      widths[s] = topWidth >> (widths.length - 1 - s);
      heights[s] = topHeight >> (widths.length - 1 - s);
    }
    return this;
  }

  /** No size known. */
  FakeLayers unknownSizes() {
    Arrays.fill(widths, 0);
    Arrays.fill(heights, 0);
    return this;
  }

  /** Nothing measured yet. */
  FakeLayers silent() {
    Arrays.fill(off, true);
    return this;
  }

  @Override
  public int spatialCount() {
    return rates.length;
  }

  @Override
  public int width(int spatial) {
    return widths[spatial];
  }

  @Override
  public int height(int spatial) {
    return heights[spatial];
  }

  @Override
  public int temporalCount() {
    return temporalCount;
  }

  @Override
  public long bitrate(int spatial, int temporal, long nowNanos) {
    if (!available(spatial, nowNanos)) {
      return 0;
    }
    long[] row = rates[spatial];
    return row[Math.min(temporal, row.length - 1)];
  }

  @Override
  public boolean available(int spatial, long nowNanos) {
    return spatial >= 0 && spatial < rates.length && rates[spatial] != null && !off[spatial];
  }
}
