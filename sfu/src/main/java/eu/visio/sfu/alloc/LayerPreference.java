package eu.visio.sfu.alloc;

import eu.visio.sfu.alloc.StreamAllocator.Layers;

/**
 * Maps a subscriber's preferences for a video track (from adaptive streaming: maximum width,
 * height, frame rate) to the highest spatial and temporal layer worth sending it, and guesses the
 * rate of a layer not measured yet.
 *
 * <p><b>Size.</b> The cap is the smallest spatial layer whose size covers the requested width and
 * height (no upscaling), or the top one. When sizes are unknown, each lower spatial layer is
 * assumed half the size of the one above, the top being {@value #DEFAULT_TOP_WIDTH}x{@value
 * #DEFAULT_TOP_HEIGHT} (Chrome's 1/4, 1/2, 1 simulcast).
 *
 * <p><b>Frame rate.</b> The requested frame rate picks the lowest temporal layer that reaches it,
 * each temporal layer doubling the frame rate of the one below and the top one being {@value
 * #TOP_FPS} fps (7.5/15/30 for three layers).
 *
 * <p><b>Nominal rate.</b> A layer never measured is charged {@value #NOMINAL_BITS_PER_PIXEL} bit
 * per pixel per frame at its (known or guessed) size and frame rate: enough to start a new
 * subscription at once; measurements correct it at the next allocations.
 *
 * <p>Stateless: pure functions of the preferences and the track's {@link Layers}.
 */
final class LayerPreference {
  static final int TOP_FPS = 30;
  static final double NOMINAL_BITS_PER_PIXEL = 0.06;
  static final int DEFAULT_TOP_WIDTH = 1280;
  static final int DEFAULT_TOP_HEIGHT = 720;

  private LayerPreference() {}

  /**
   * The smallest of {@code sc} spatial layers covering {@code maxWidth} x {@code maxHeight} (0 for
   * no limit), or the top one.
   */
  static int spatial(Layers layers, int sc, int maxWidth, int maxHeight) {
    if (maxWidth == 0 && maxHeight == 0) {
      return sc - 1;
    }
    for (int s = 0; s < sc; s++) {
      if ((maxWidth == 0 || width(layers, s, sc) >= maxWidth)
          && (maxHeight == 0 || height(layers, s, sc) >= maxHeight)) {
        return s;
      }
    }
    return sc - 1;
  }

  /**
   * The lowest of {@code tc} temporal layers reaching {@code maxFps} (0 or less for no limit),
   * layers doubling up to {@value #TOP_FPS}, or the top one.
   */
  static int temporal(int maxFps, int tc) {
    if (maxFps <= 0) {
      return tc - 1;
    }
    for (int tl = 0; tl < tc; tl++) {
      if (fps(tl, tc) >= maxFps) {
        return tl;
      }
    }
    return tc - 1;
  }

  /** Bit/s guessed for spatial layer {@code s} up to temporal layer {@code tl}. */
  static long nominalBitrate(Layers layers, int sc, int tc, int s, int tl) {
    double pixels = (double) width(layers, s, sc) * height(layers, s, sc);
    return (long) (pixels * fps(tl, tc) * NOMINAL_BITS_PER_PIXEL);
  }

  private static double fps(int tl, int tc) {
    return (double) TOP_FPS / (1 << (tc - 1 - tl));
  }

  private static int width(Layers l, int s, int sc) {
    return size(l, s, sc, true);
  }

  /** Spatial layer {@code s}'s height, known or guessed. */
  static int height(Layers l, int s, int sc) {
    return size(l, s, sc, false);
  }

  /**
   * A layer's known size, else derived from the highest layer whose size is known (each layer twice
   * the one below), else from a 1280x720 top layer.
   */
  private static int size(Layers l, int s, int sc, boolean width) {
    int own = width ? l.width(s) : l.height(s);
    if (own > 0) {
      return own;
    }
    int ref = sc - 1;
    int refSize = width ? DEFAULT_TOP_WIDTH : DEFAULT_TOP_HEIGHT;
    for (int k = sc - 1; k >= 0; k--) {
      int known = width ? l.width(k) : l.height(k);
      if (known > 0) {
        ref = k;
        refSize = known;
        break;
      }
    }
    return s <= ref ? refSize >> (ref - s) : refSize << (s - ref);
  }
}
