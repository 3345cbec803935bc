package eu.visio.sfu.alloc;

import static eu.visio.sfu.alloc.StreamAllocator.NONE;

import eu.visio.sfu.alloc.StreamAllocator.Layers;
import eu.visio.sfu.alloc.StreamAllocator.Source;

/**
 * One track as a {@link StreamAllocator} sees it: what the subscriber asked for, the layer it was
 * given by the last allocation, and the scratch of the allocation under way.
 *
 * <p><b>Tracks not measured yet.</b> A video track with no available layer, which has never been
 * measured (a new publication) or has no layer to keep (enabled again while its publisher had
 * stopped sending, dynacast), gets the layer its subscriber asked for at once, charged at a {@link
 * LayerPreference#nominalBitrate nominal rate} and never paused, so a new subscription starts
 * without waiting a second for measurements; the next allocations after measurement correct it. A
 * track measured before whose layers all stopped (the publisher muted or lost its uplink) keeps its
 * layer and state and is charged nothing: it sends nothing, and it resumes where it was.
 *
 * <p><b>Hysteresis.</b> Going down is immediate: congestion must be relieved at once. Going above
 * the layer a track had after the previous allocation (resuming a paused track included) needs room
 * for the layer plus a margin of {@value #UPGRADE_MARGIN_PERCENT}% of its rate (at least {@value
 * #MIN_UPGRADE_MARGIN_BPS} bit/s, as WebRTC's own allocator does for paused streams), and at least
 * {@value #UPGRADE_HEADROOM_PERCENT}% of the whole estimate. An estimate or a measured rate
 * jittering around a threshold then moves the track once, not at every allocation; and the layers
 * kept at the next allocation ({@link StreamAllocator}'s keep pass) have that much room for the
 * jitter of all their rates together. The price: inside that margin band, a running track keeps its
 * layer where a higher-priority track would have to start or go up (after a priority change).
 *
 * <p>Owned by its allocator, which reads and writes the fields directly.
 */
final class AllocatedTrack {
  static final int UPGRADE_MARGIN_PERCENT = 10;
  static final long MIN_UPGRADE_MARGIN_BPS = 20_000;
  static final int UPGRADE_HEADROOM_PERCENT = 3;

  /** Assumed when the track does not know (no packet seen): Chrome's VP8 simulcast uses three. */
  static final int DEFAULT_TEMPORAL_LAYERS = 3;

  private static final int MAX = LayerBitrates.MAX_LAYERS;

  /** How the allocation under way treats a video track. */
  enum Mode {
    DISABLED,
    MEASURED,
    /** Never measured: its preferred layer, at a nominal rate. */
    UNMEASURED,
    /** Measured before, nothing arrives now, and it had a layer or was paused: left as it was. */
    SILENT,
  }

  /** The stream state signalling knows of. */
  enum State {
    ACTIVE,
    PAUSED,
    /** Disabled by the subscriber: neither active nor paused for signalling. */
    INACTIVE,
  }

  final String id;
  final Source source;
  final Layers layers;

  /** Order of addition: breaks ties within a priority class. */
  final long seq;

  // The subscriber's wishes.
  int maxWidth;
  int maxHeight;
  int maxFps;
  boolean disabled;
  boolean speaker;
  boolean everMeasured;

  // The result of the last allocation.
  int spatial = NONE;
  int temporal = NONE;
  State state = State.ACTIVE;
  boolean reportedActive = true;

  // Scratch of one allocation, set by prepare.
  Mode mode;
  final LayerLadder ladder = new LayerLadder();

  /** The ladder rung given so far in this allocation, {@link StreamAllocator#NONE} for none. */
  int provisional;

  int preferredS;
  int preferredT;
  long nominal;

  AllocatedTrack(String id, Source source, Layers layers, long seq) {
    this.id = id;
    this.source = source;
    this.layers = layers;
    this.seq = seq;
  }

  /** Priority class: screen shares, then active speakers' cameras, then other cameras. */
  int rank() {
    if (source == Source.SCREEN) {
      return 0;
    }
    return speaker ? 1 : 2;
  }

  /** Whether this track is served before {@code other}: by priority class, then age. */
  boolean before(AllocatedTrack other) {
    int ra = rank();
    int rb = other.rank();
    return ra != rb ? ra < rb : seq < other.seq;
  }

  /** An audio track's rate: measured, else {@link StreamAllocator#DEFAULT_AUDIO_BPS}. */
  long audioBitrate(long now) {
    if (layers != null && layers.available(0, now)) {
      return Math.clamp(layers.bitrate(0, MAX - 1, now), 0, LayerLadder.MAX_BPS);
    }
    return StreamAllocator.DEFAULT_AUDIO_BPS;
  }

  /** The spatial layer the preferences ask for among {@code sc}, whatever the bandwidth. */
  int preferredSpatial(int sc) {
    return LayerPreference.spatial(layers, sc, maxWidth, maxHeight);
  }

  /** Computes the video track's mode and its ladder of candidate layers. */
  void prepare(long now) {
    provisional = NONE;
    if (disabled) {
      mode = Mode.DISABLED;
      return;
    }
    int sc = Math.clamp(layers.spatialCount(), 1, MAX);
    int tc =
        layers.temporalCount() <= 0
            ? DEFAULT_TEMPORAL_LAYERS
            : Math.min(layers.temporalCount(), MAX);
    preferredS = preferredSpatial(sc);
    preferredT = LayerPreference.temporal(maxFps, tc);
    int lowest = NONE;
    int highest = NONE; // highest available at or under the preference
    for (int s = 0; s < sc; s++) {
      if (layers.available(s, now)) {
        if (lowest == NONE) {
          lowest = s;
        }
        if (s <= preferredS) {
          highest = s;
        }
      }
    }
    if (lowest == NONE) {
      // Something to keep (a layer, or a pause): keep it. Nothing (new, or just enabled again
      // after its publisher stopped for want of subscribers): start optimistically.
      boolean kept = spatial != NONE || state == State.PAUSED;
      mode = everMeasured && kept ? Mode.SILENT : Mode.UNMEASURED;
      nominal = LayerPreference.nominalBitrate(layers, sc, tc, preferredS, preferredT);
      return;
    }
    everMeasured = true;
    mode = Mode.MEASURED;
    if (highest == NONE) {
      highest = lowest; // nothing small enough is sent: the smallest that is
    }
    ladder.build(layers, lowest, highest, preferredT, source == Source.CAMERA, now);
  }

  /**
   * Moves the provisional layer to rung {@code k} if {@code budget} allows, with the upgrade margin
   * when that goes above the last allocation's layer (also at least {@value
   * #UPGRADE_HEADROOM_PERCENT}% of the whole {@code estimate}); returns the budget left.
   */
  long tryStep(int k, long budget, long estimate) {
    long base = provisional >= 0 ? ladder.cost(provisional) : 0;
    long delta = ladder.cost(k) - base;
    long need = delta;
    if (spatial == NONE || compare(ladder.spatial(k), ladder.temporal(k), spatial, temporal) > 0) {
      need +=
          Math.max(
              Math.max(ladder.cost(k) * UPGRADE_MARGIN_PERCENT / 100, MIN_UPGRADE_MARGIN_BPS),
              estimate / 100 * UPGRADE_HEADROOM_PERCENT);
    }
    if (need > budget) {
      return budget;
    }
    provisional = k;
    return budget - delta;
  }

  /**
   * The highest rung at or under the last allocation's layer, {@link StreamAllocator#NONE} when the
   * track had none (paused, new) or only lower layers are gone.
   */
  int keptRung() {
    if (spatial == NONE) {
      return NONE;
    }
    int kept = NONE;
    for (int k = 0; k < ladder.count(); k++) {
      if (compare(ladder.spatial(k), ladder.temporal(k), spatial, temporal) <= 0) {
        kept = k;
      }
    }
    return kept;
  }

  private static int compare(int s1, int t1, int s2, int t2) {
    return s1 != s2 ? Integer.compare(s1, s2) : Integer.compare(t1, t2);
  }
}
