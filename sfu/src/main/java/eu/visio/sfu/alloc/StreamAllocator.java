package eu.visio.sfu.alloc;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares one subscriber's downlink bandwidth estimate among the tracks it receives: picks, for each
 * video track, the spatial and temporal layer to forward, or pauses it.
 *
 * <p><b>Order.</b> Audio is never paused: each enabled audio track is reserved off the top at its
 * measured rate (or {@value #DEFAULT_AUDIO_BPS} bit/s until measured). Video tracks are then served
 * in priority order: screen shares, then the cameras of active speakers ({@link #setSpeaker}), then
 * the other cameras, each class in the order the tracks were added.
 *
 * <p><b>Passes.</b> First, every enabled video track gets its lowest layer, in priority order, if
 * it fits in what is left; a track that does not fit is paused. Then the tracks that run are raised
 * one layer step at a time, all of them at each step before any goes to the next (s0t1 for every
 * track, then s0t2, ..., then s1t0), in priority order within a step, up to the layer each one's
 * subscriber asked for, while the budget lasts. So when bandwidth is short every track still moves,
 * at a low layer, before any gets a high one (LiveKit's allocation order); priority decides who
 * gets a step first, hence who is paused when even the lowest layers do not all fit.
 *
 * <p><b>Costs.</b> A layer costs its measured {@link Layers#bitrate}. Measurements are noisy and
 * not always monotonic (a keyframe on a low layer), so a track's layers are costed as a running
 * maximum in step order: a higher step never costs less, and a track's cost never undercounts what
 * it receives. Layers a publisher does not send ({@link Layers#available} false) are skipped.
 *
 * <p><b>Hysteresis.</b> Going down is immediate: congestion must be relieved at once. Going above
 * the layer a track had after the previous allocation (resuming a paused track included) needs room
 * for the layer plus a margin of {@value #UPGRADE_MARGIN_PERCENT}% of its rate (at least {@value
 * #MIN_UPGRADE_MARGIN_BPS} bit/s, as WebRTC's own allocator does for paused streams). An estimate
 * or a measured rate jittering around a threshold then moves the track once, not at every
 * allocation. The price: inside that margin band, a running track keeps its layer where a
 * higher-priority track would have to start or go up (after a priority change).
 *
 * <p><b>Tracks not measured yet.</b> A video track with no available layer, which has never been
 * measured (a new publication) or has no layer to keep (enabled again while its publisher had
 * stopped sending, dynacast), gets the layer its subscriber asked for at once, charged at a nominal
 * rate guessed from its resolution and frame rate ({@value #NOMINAL_BITS_PER_PIXEL} bit per pixel
 * per frame) and never paused, so a new subscription starts without waiting a second for
 * measurements; the next allocations after measurement correct it. A track measured before whose
 * layers all stopped (the publisher muted or lost its uplink) keeps its layer and state and is
 * charged nothing: it sends nothing, and it resumes where it was. Audio and tracks not measured yet
 * are the only ways {@link #allocatedBps} can exceed the estimate.
 *
 * <p><b>Preferences</b> ({@link #setPreferences}, from adaptive streaming) cap each video track:
 * the smallest spatial layer whose size covers the requested width and height (no upscaling), or
 * the top one; when sizes are unknown, each lower spatial layer is assumed half the size of the one
 * above, the top being 1280x720 (Chrome's 1/4, 1/2, 1 simulcast). The requested frame rate picks
 * the lowest temporal layer that reaches it, each temporal layer doubling the frame rate of the one
 * below and the top one being {@value #TOP_FPS} fps (7.5/15/30 for three layers). If no available
 * layer is under the cap, the lowest available one is used (the cap is soft, as in Jitsi). A
 * disabled track gets no layer and is not "paused".
 *
 * <p><b>Results</b> are read with {@link #targetSpatial}/{@link #targetTemporal} and reported to
 * the {@link Listener} on change only: the caller feeds them to the track's {@code LayerSelector}
 * or {@code SvcLayerFilter} and the paused/active stream state to signalling. Decisions are logged
 * at debug, on change only. {@link #allocate} is meant to run every 100-200 ms and after any change
 * here (a track added, preferences, speakers); it allocates nothing in steady state.
 *
 * <p>Not thread-safe: owned by the subscriber's media loop. Times are caller-supplied nanoseconds.
 */
public final class StreamAllocator {
  /** No layer: paused, disabled, or not allocated yet. */
  public static final int NONE = -1;

  /** Rate reserved for an audio track until it is measured. */
  public static final long DEFAULT_AUDIO_BPS = 64_000;

  static final int UPGRADE_MARGIN_PERCENT = 10;
  static final long MIN_UPGRADE_MARGIN_BPS = 20_000;
  static final int TOP_FPS = 30;
  static final double NOMINAL_BITS_PER_PIXEL = 0.06;

  /** Assumed when the track does not know (no packet seen): Chrome's VP8 simulcast uses three. */
  static final int DEFAULT_TEMPORAL_LAYERS = 3;

  /** Caps a reported rate so that sums and margins cannot overflow (1 Tbit/s). */
  private static final long MAX_BPS = 1_000_000_000_000L;

  static final int DEFAULT_TOP_WIDTH = 1280;
  static final int DEFAULT_TOP_HEIGHT = 720;

  private static final int MAX = LayerBitrates.MAX_LAYERS;
  private static final Logger log = LoggerFactory.getLogger(StreamAllocator.class);

  /** What a track carries; decides its priority. */
  public enum Source {
    SCREEN,
    CAMERA,
    AUDIO,
  }

  /** The layers of a published track, as the allocator needs them. {@link LayerBitrates} is one. */
  public interface Layers {
    /** Spatial layers (simulcast encodings or SVC spatial layers), at least 1. */
    int spatialCount();

    /** Width of spatial layer {@code spatial} in pixels, 0 when unknown. */
    int width(int spatial);

    /** Height of spatial layer {@code spatial} in pixels, 0 when unknown. */
    int height(int spatial);

    /** Temporal layers, 0 when unknown. */
    int temporalCount();

    /** Bit/s a subscriber needs to receive this spatial layer up to this temporal layer. */
    long bitrate(int spatial, int temporal, long nowNanos);

    /** Whether the publisher sends this spatial layer and its rate is known. */
    boolean available(int spatial, long nowNanos);
  }

  /** Told of changes during {@link #allocate}; must not call back into the allocator's setters. */
  public interface Listener {
    /** The layers to forward changed; {@code spatial} is {@link #NONE} to stop forwarding. */
    default void onTargetChanged(int handle, int spatial, int temporal) {}

    /** The track was paused for lack of bandwidth ({@code active} false), or resumed. */
    default void onStreamStateChanged(int handle, boolean active) {}
  }

  private enum Mode {
    DISABLED,
    MEASURED,
    /** Never measured: its preferred layer, at a nominal rate. */
    UNMEASURED,
    /** Measured before, nothing arrives now, and it had a layer or was paused: left as it was. */
    SILENT,
  }

  private enum State {
    ACTIVE,
    PAUSED,
    /** Disabled by the subscriber: neither active nor paused for signalling. */
    INACTIVE,
  }

  private static final class Track {
    final String id;
    final Source source;
    final Layers layers;
    final long seq;
    int maxWidth;
    int maxHeight;
    int maxFps;
    boolean disabled;
    boolean speaker;
    boolean everMeasured;

    int spatial = NONE;
    int temporal = NONE;
    State state = State.ACTIVE;
    boolean reportedActive = true;

    // Scratch of one allocation: the track's candidate layers in step order.
    Mode mode;
    int count;
    final int[] layerS = new int[MAX * MAX];
    final int[] layerT = new int[MAX * MAX];
    final long[] cost = new long[MAX * MAX];
    final int[] indexOf = new int[MAX * MAX];
    int provisional;
    int preferredS;
    int preferredT;
    long nominal;

    Track(String id, Source source, Layers layers, long seq) {
      this.id = id;
      this.source = source;
      this.layers = layers;
      this.seq = seq;
    }

    int rank() {
      if (source == Source.SCREEN) {
        return 0;
      }
      return speaker ? 1 : 2;
    }
  }

  private final String subscriberId;
  private final Listener listener;
  private Track[] tracks = new Track[8];
  private int[] order = new int[8];
  private long nextSeq;
  private long allocatedBps;
  private long lastEstimate;

  /**
   * An allocator for subscriber {@code subscriberId} (used in logs), reporting to {@code listener}.
   */
  public StreamAllocator(String subscriberId, Listener listener) {
    this.subscriberId = subscriberId;
    this.listener = listener == null ? new Listener() {} : listener;
  }

  /**
   * Adds a track and returns its handle (small, reused after {@link #remove}). {@code layers} may
   * be null for audio (then always {@value #DEFAULT_AUDIO_BPS} bit/s). It gets a target at the next
   * {@link #allocate}.
   */
  public int add(String trackId, Source source, Layers layers) {
    if (source != Source.AUDIO && layers == null) {
      throw new IllegalArgumentException("video track " + trackId + " needs its layers");
    }
    int handle = 0;
    while (handle < tracks.length && tracks[handle] != null) {
      handle++;
    }
    if (handle == tracks.length) {
      tracks = Arrays.copyOf(tracks, tracks.length * 2);
      order = Arrays.copyOf(order, tracks.length);
    }
    tracks[handle] = new Track(trackId, source, layers, nextSeq++);
    return handle;
  }

  /** Forgets a track; no event is raised for it. */
  public void remove(int handle) {
    track(handle);
    tracks[handle] = null;
  }

  /**
   * The subscriber's wishes for a track: maximum width, height (pixels) and frame rate, each 0 for
   * no limit, or disabled (no media at all). Applied at the next {@link #allocate}.
   */
  public void setPreferences(
      int handle, int maxWidth, int maxHeight, int maxFps, boolean disabled) {
    Track t = track(handle);
    t.maxWidth = Math.max(0, maxWidth);
    t.maxHeight = Math.max(0, maxHeight);
    t.maxFps = Math.max(0, maxFps);
    t.disabled = disabled;
  }

  /** Whether the track's publisher is an active speaker (its camera then goes before others). */
  public void setSpeaker(int handle, boolean speaker) {
    track(handle).speaker = speaker;
  }

  /** Shares {@code estimateBps} among the tracks; raises the listener's events for what changed. */
  public void allocate(long estimateBps, long nowNanos) {
    lastEstimate = estimateBps;
    long budget = Math.max(0, estimateBps);
    long total = 0;
    int n = 0;
    for (int h = 0; h < tracks.length; h++) {
      Track t = tracks[h];
      if (t == null) {
        continue;
      }
      if (t.source == Source.AUDIO) {
        if (!t.disabled) {
          long rate = audioBitrate(t, nowNanos);
          budget -= rate;
          total += rate;
        }
      } else {
        order[n++] = h;
      }
    }
    budget = Math.max(0, budget);
    sortByPriority(n);
    for (int i = 0; i < n; i++) {
      prepare(tracks[order[i]], nowNanos);
    }

    // First pass: the lowest layer for each, in priority order.
    for (int i = 0; i < n; i++) {
      Track t = tracks[order[i]];
      if (t.mode == Mode.MEASURED) {
        budget = tryStep(t, 0, budget);
      } else if (t.mode == Mode.UNMEASURED) {
        budget = Math.max(0, budget - t.nominal);
      }
    }
    // Second pass: one step at a time for every running track.
    for (int s = 0; s < MAX; s++) {
      for (int tl = 0; tl < MAX; tl++) {
        for (int i = 0; i < n; i++) {
          Track t = tracks[order[i]];
          if (t.mode == Mode.MEASURED && t.provisional >= 0) {
            int k = t.indexOf[s * MAX + tl];
            if (k > t.provisional) {
              budget = tryStep(t, k, budget);
            }
          }
        }
      }
    }

    for (int h = 0; h < tracks.length; h++) {
      Track t = tracks[h];
      if (t != null && t.source == Source.AUDIO) {
        apply(h, t, t.disabled ? NONE : 0, t.disabled ? NONE : 0, inactiveOr(t, State.ACTIVE));
      }
    }
    for (int i = 0; i < n; i++) {
      int h = order[i];
      Track t = tracks[h];
      switch (t.mode) {
        case DISABLED -> apply(h, t, NONE, NONE, State.INACTIVE);
        case UNMEASURED -> {
          total += t.nominal;
          apply(h, t, t.preferredS, t.preferredT, State.ACTIVE);
        }
        case SILENT -> {
          // Nothing arrives: keep the layer (and state) to resume where it was, within the caps.
          if (t.spatial != NONE) {
            apply(
                h,
                t,
                Math.min(t.spatial, t.preferredS),
                Math.min(t.temporal, t.preferredT),
                t.state);
          }
        }
        case MEASURED -> {
          int k = t.provisional;
          if (k >= 0) {
            total += t.cost[k];
            apply(h, t, t.layerS[k], t.layerT[k], State.ACTIVE);
          } else {
            apply(h, t, NONE, NONE, State.PAUSED);
          }
        }
      }
    }
    allocatedBps = total;
  }

  /**
   * Bit/s all enabled tracks would use at the layers their subscribers asked for (among the layers
   * their publishers send): when the estimate is below it, probing for more is worthwhile.
   */
  public long desiredBps(long nowNanos) {
    long sum = 0;
    for (Track t : tracks) {
      if (t == null || t.disabled) {
        continue;
      }
      if (t.source == Source.AUDIO) {
        sum += audioBitrate(t, nowNanos);
        continue;
      }
      prepare(t, nowNanos);
      if (t.mode == Mode.MEASURED) {
        sum += t.cost[t.count - 1];
      } else if (t.mode == Mode.UNMEASURED) {
        sum += t.nominal;
      }
    }
    return sum;
  }

  /** What the last {@link #allocate} gave out in bit/s, audio included (costs as charged). */
  public long allocatedBps() {
    return allocatedBps;
  }

  /** Spatial layer to forward, {@link #NONE} when paused, disabled or not allocated yet. */
  public int targetSpatial(int handle) {
    return track(handle).spatial;
  }

  /** Highest temporal layer to forward, {@link #NONE} when {@link #targetSpatial} is. */
  public int targetTemporal(int handle) {
    return track(handle).temporal;
  }

  /** Whether the track is paused for lack of bandwidth (not by the subscriber's preference). */
  public boolean paused(int handle) {
    return track(handle).state == State.PAUSED;
  }

  /**
   * The spatial layer the subscriber's preferences ask for, whatever the bandwidth ({@link #NONE}
   * when disabled): what to tell the publisher's {@link LayersNeeded}. Bandwidth must not lower it,
   * or a layer nobody gets for a while would stop and could never be allocated again.
   */
  public int preferredSpatial(int handle) {
    Track t = track(handle);
    if (t.disabled) {
      return NONE;
    }
    if (t.source == Source.AUDIO) {
      return 0;
    }
    return preferredSpatial(t, Math.clamp(t.layers.spatialCount(), 1, MAX));
  }

  private Track track(int handle) {
    if (handle < 0 || handle >= tracks.length || tracks[handle] == null) {
      throw new IllegalArgumentException("no track with handle " + handle);
    }
    return tracks[handle];
  }

  private static long audioBitrate(Track t, long now) {
    if (t.layers != null && t.layers.available(0, now)) {
      return Math.clamp(t.layers.bitrate(0, MAX - 1, now), 0, MAX_BPS);
    }
    return DEFAULT_AUDIO_BPS;
  }

  /**
   * Insertion sort of order[0..n) by priority class, then age: n is small, and nothing allocates.
   */
  private void sortByPriority(int n) {
    for (int i = 1; i < n; i++) {
      int h = order[i];
      Track t = tracks[h];
      int j = i - 1;
      while (j >= 0 && before(t, tracks[order[j]])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = h;
    }
  }

  private static boolean before(Track a, Track b) {
    int ra = a.rank();
    int rb = b.rank();
    return ra != rb ? ra < rb : a.seq < b.seq;
  }

  /** Computes the track's mode and its candidate layers with their (monotonic) costs. */
  private static void prepare(Track t, long now) {
    t.provisional = NONE;
    if (t.disabled) {
      t.mode = Mode.DISABLED;
      return;
    }
    Layers layers = t.layers;
    int sc = Math.clamp(layers.spatialCount(), 1, MAX);
    int tc =
        layers.temporalCount() <= 0
            ? DEFAULT_TEMPORAL_LAYERS
            : Math.min(layers.temporalCount(), MAX);
    t.preferredS = preferredSpatial(t, sc);
    t.preferredT = preferredTemporal(t.maxFps, tc);
    int lowest = NONE;
    int highest = NONE; // highest available at or under the preference
    for (int s = 0; s < sc; s++) {
      if (layers.available(s, now)) {
        if (lowest == NONE) {
          lowest = s;
        }
        if (s <= t.preferredS) {
          highest = s;
        }
      }
    }
    if (lowest == NONE) {
      // Something to keep (a layer, or a pause): keep it. Nothing (new, or just enabled again
      // after its publisher stopped for want of subscribers): start optimistically.
      boolean kept = t.spatial != NONE || t.state == State.PAUSED;
      t.mode = t.everMeasured && kept ? Mode.SILENT : Mode.UNMEASURED;
      t.nominal = nominalBitrate(t, sc, tc);
      return;
    }
    t.everMeasured = true;
    t.mode = Mode.MEASURED;
    if (highest == NONE) {
      highest = lowest; // nothing small enough is sent: the smallest that is
    }
    Arrays.fill(t.indexOf, NONE);
    long running = 0;
    int k = 0;
    for (int s = lowest; s <= highest; s++) {
      if (!layers.available(s, now)) {
        continue;
      }
      for (int tl = 0; tl <= t.preferredT; tl++) {
        running = Math.max(running, Math.clamp(layers.bitrate(s, tl, now), 0, MAX_BPS));
        t.layerS[k] = s;
        t.layerT[k] = tl;
        t.cost[k] = running;
        t.indexOf[s * MAX + tl] = k;
        k++;
      }
    }
    t.count = k;
  }

  /** Moves the track's provisional layer to candidate {@code k} if the budget allows. */
  private static long tryStep(Track t, int k, long budget) {
    long base = t.provisional >= 0 ? t.cost[t.provisional] : 0;
    long delta = t.cost[k] - base;
    long need = delta;
    if (t.spatial == NONE || compare(t.layerS[k], t.layerT[k], t.spatial, t.temporal) > 0) {
      need += Math.max(t.cost[k] * UPGRADE_MARGIN_PERCENT / 100, MIN_UPGRADE_MARGIN_BPS);
    }
    if (need > budget) {
      return budget;
    }
    t.provisional = k;
    return budget - delta;
  }

  private static int compare(int s1, int t1, int s2, int t2) {
    return s1 != s2 ? Integer.compare(s1, s2) : Integer.compare(t1, t2);
  }

  private static State inactiveOr(Track t, State state) {
    return t.disabled ? State.INACTIVE : state;
  }

  private void apply(int handle, Track t, int spatial, int temporal, State state) {
    if (spatial != t.spatial || temporal != t.temporal) {
      if (log.isDebugEnabled()) {
        log.debug(
            "subscriber={} track={} target s{}t{} -> s{}t{} (estimate {} bps)",
            subscriberId,
            t.id,
            t.spatial,
            t.temporal,
            spatial,
            temporal,
            lastEstimate);
      }
      t.spatial = spatial;
      t.temporal = temporal;
      listener.onTargetChanged(handle, spatial, temporal);
    }
    t.state = state;
    if (state != State.INACTIVE && (state == State.ACTIVE) != t.reportedActive) {
      t.reportedActive = state == State.ACTIVE;
      if (log.isDebugEnabled()) {
        log.debug(
            "subscriber={} track={} {} (estimate {} bps)",
            subscriberId,
            t.id,
            t.reportedActive ? "resumed" : "paused for bandwidth",
            lastEstimate);
      }
      listener.onStreamStateChanged(handle, t.reportedActive);
    }
  }

  /** The smallest spatial layer covering the requested size, or the top one. */
  private static int preferredSpatial(Track t, int sc) {
    if (t.maxWidth == 0 && t.maxHeight == 0) {
      return sc - 1;
    }
    for (int s = 0; s < sc; s++) {
      if ((t.maxWidth == 0 || width(t.layers, s, sc) >= t.maxWidth)
          && (t.maxHeight == 0 || height(t.layers, s, sc) >= t.maxHeight)) {
        return s;
      }
    }
    return sc - 1;
  }

  /** The lowest temporal layer reaching {@code maxFps}, layers doubling up to {@value #TOP_FPS}. */
  static int preferredTemporal(int maxFps, int tc) {
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

  private static double fps(int tl, int tc) {
    return (double) TOP_FPS / (1 << (tc - 1 - tl));
  }

  private static long nominalBitrate(Track t, int sc, int tc) {
    double pixels = (double) width(t.layers, t.preferredS, sc) * height(t.layers, t.preferredS, sc);
    return (long) (pixels * fps(t.preferredT, tc) * NOMINAL_BITS_PER_PIXEL);
  }

  private static int width(Layers l, int s, int sc) {
    return size(l, s, sc, true);
  }

  private static int height(Layers l, int s, int sc) {
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
