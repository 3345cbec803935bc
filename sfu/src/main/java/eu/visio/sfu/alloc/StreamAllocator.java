package eu.visio.sfu.alloc;

import eu.visio.sfu.alloc.AllocatedTrack.Mode;
import eu.visio.sfu.alloc.AllocatedTrack.State;
import java.util.Arrays;

/**
 * Shares one subscriber's downlink bandwidth estimate among the tracks it receives: picks, for each
 * video track, the spatial and temporal layer to forward, or pauses it.
 *
 * <p><b>Order.</b> Audio is never paused: each enabled audio track is reserved off the top at its
 * measured rate (or {@value #DEFAULT_AUDIO_BPS} bit/s until measured). Video tracks are then served
 * in priority order: screen shares, then the cameras of active speakers ({@link #setSpeaker}), then
 * the other cameras, each class in the order the tracks were added.
 *
 * <p><b>Keep pass.</b> When the layers every track had after the last allocation still fit, each
 * keeps its own (or the highest still a candidate under it) and only what is left is shared out by
 * the passes below: a track goes down only when what is committed no longer fits (then the
 * allocation starts afresh), or when the priority order changed ({@link #setSpeaker}).
 *
 * <p><b>Passes.</b> First, every enabled video track gets its lowest layer, in priority order, if
 * it fits in what is left; a track that does not fit is paused. Then the tracks that run are raised
 * one layer step at a time, all of them at each step before any goes to the next (s0t1 for every
 * track, then s0t2, ..., then s1t0), in priority order within a step, up to the layer each one's
 * subscriber asked for, while the budget lasts. So when bandwidth is short every track still moves,
 * at a low layer, before any gets a high one (LiveKit's allocation order); priority decides who
 * gets a step first, hence who is paused when even the lowest layers do not all fit.
 *
 * <p><b>Costs</b> are the layers' measured rates, made monotonic in step order ({@link
 * LayerLadder}). <b>Hysteresis:</b> going down is immediate, going above the previous allocation's
 * layer needs a margin ({@link AllocatedTrack}). <b>Tracks not measured yet</b> start at once at
 * their preferred layer and a nominal rate, and are never paused; tracks whose layers all stopped
 * keep their layer and are charged nothing ({@link AllocatedTrack}). Audio and tracks not measured
 * yet are the only ways {@link #allocatedBps} can exceed the estimate.
 *
 * <p><b>Preferences</b> ({@link #setPreferences}, from adaptive streaming) cap each video track's
 * spatial layer by size and temporal layer by frame rate ({@link LayerPreference}). If no available
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

  private static final int MAX = LayerBitrates.MAX_LAYERS;

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

  private final DecisionReporter reporter;
  private AllocatedTrack[] tracks = new AllocatedTrack[8];
  private int[] order = new int[8];
  private long nextSeq;
  private long allocatedBps;

  /** The priority order changed since the last allocation: no keep pass. */
  private boolean reshuffle;

  /**
   * An allocator for subscriber {@code subscriberId} (used in logs), reporting to {@code listener}.
   */
  public StreamAllocator(String subscriberId, Listener listener) {
    this.reporter = new DecisionReporter(subscriberId, listener);
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
    tracks[handle] = new AllocatedTrack(trackId, source, layers, nextSeq++);
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
    AllocatedTrack t = track(handle);
    t.maxWidth = Math.max(0, maxWidth);
    t.maxHeight = Math.max(0, maxHeight);
    t.maxFps = Math.max(0, maxFps);
    t.disabled = disabled;
  }

  /** Whether the track's publisher is an active speaker (its camera then goes before others). */
  public void setSpeaker(int handle, boolean speaker) {
    AllocatedTrack t = track(handle);
    if (t.speaker != speaker) {
      t.speaker = speaker;
      reshuffle = true; // the order changed: who keeps what is decided again
    }
  }

  /** Shares {@code estimateBps} among the tracks; raises the listener's events for what changed. */
  public void allocate(long estimateBps, long nowNanos) {
    reporter.estimate(estimateBps);
    long budget = Math.max(0, estimateBps);
    long total = 0;
    int n = 0;
    for (int h = 0; h < tracks.length; h++) {
      AllocatedTrack t = tracks[h];
      if (t == null) {
        continue;
      }
      if (t.source == Source.AUDIO) {
        if (!t.disabled) {
          long rate = t.audioBitrate(nowNanos);
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
      tracks[order[i]].prepare(nowNanos);
    }

    long left = reshuffle ? -1 : keepPrevious(n, budget);
    reshuffle = false;
    if (left >= 0) {
      budget = left;
    }
    // First pass: the lowest layer for each (each one kept paused), in priority order.
    for (int i = 0; i < n; i++) {
      AllocatedTrack t = tracks[order[i]];
      if (t.mode == Mode.MEASURED && t.provisional == NONE) {
        budget = t.tryStep(0, budget, estimateBps);
      } else if (t.mode == Mode.UNMEASURED && left < 0) {
        budget = Math.max(0, budget - t.nominal);
      }
    }
    // Second pass: one step at a time for every running track.
    for (int s = 0; s < MAX; s++) {
      for (int tl = 0; tl < MAX; tl++) {
        for (int i = 0; i < n; i++) {
          AllocatedTrack t = tracks[order[i]];
          if (t.mode == Mode.MEASURED && t.provisional >= 0) {
            int k = t.ladder.indexOf(s, tl);
            if (k > t.provisional) {
              budget = t.tryStep(k, budget, estimateBps);
            }
          }
        }
      }
    }

    for (int h = 0; h < tracks.length; h++) {
      AllocatedTrack t = tracks[h];
      if (t != null && t.source == Source.AUDIO) {
        reporter.apply(
            h, t, t.disabled ? NONE : 0, t.disabled ? NONE : 0, inactiveOr(t, State.ACTIVE));
      }
    }
    for (int i = 0; i < n; i++) {
      int h = order[i];
      AllocatedTrack t = tracks[h];
      switch (t.mode) {
        case DISABLED -> reporter.apply(h, t, NONE, NONE, State.INACTIVE);
        case UNMEASURED -> {
          total += t.nominal;
          reporter.apply(h, t, t.preferredS, t.preferredT, State.ACTIVE);
        }
        case SILENT -> {
          // Nothing arrives: keep the layer (and state) to resume where it was, within the caps.
          if (t.spatial != NONE) {
            reporter.apply(
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
            total += t.ladder.cost(k);
            reporter.apply(h, t, t.ladder.spatial(k), t.ladder.temporal(k), State.ACTIVE);
          } else {
            reporter.apply(h, t, NONE, NONE, State.PAUSED);
          }
        }
      }
    }
    allocatedBps = total;
  }

  /**
   * The keep pass: when every running track's layer of the last allocation (or the highest under it
   * that is still a candidate) still fits, they all keep it, and returns the budget left for
   * upgrades; else -1, and the allocation starts afresh. Without it one track's step up (the step
   * pass serves every track a step before any gets the next) could take the room of another's
   * higher layer held since the last allocation: under a full budget two tracks swapped a layer at
   * every allocation, each switch waiting for a keyframe (LiveKit likewise only reallocates from
   * scratch when what is committed no longer fits).
   */
  private long keepPrevious(int n, long budget) {
    long need = 0;
    for (int i = 0; i < n; i++) {
      AllocatedTrack t = tracks[order[i]];
      if (t.mode == Mode.MEASURED) {
        int k = t.keptRung();
        need += k == NONE ? 0 : t.ladder.cost(k);
      } else if (t.mode == Mode.UNMEASURED) {
        need += t.nominal;
      }
    }
    if (need > budget) {
      reporter.afresh(need, budget);
      return -1;
    }
    for (int i = 0; i < n; i++) {
      AllocatedTrack t = tracks[order[i]];
      if (t.mode == Mode.MEASURED) {
        t.provisional = t.keptRung();
      }
    }
    return budget - need;
  }

  /**
   * Bit/s all enabled tracks would use at the layers their subscribers asked for (among the layers
   * their publishers send): when the estimate is below it, probing for more is worthwhile.
   */
  public long desiredBps(long nowNanos) {
    long sum = 0;
    for (AllocatedTrack t : tracks) {
      if (t == null || t.disabled) {
        continue;
      }
      if (t.source == Source.AUDIO) {
        sum += t.audioBitrate(nowNanos);
        continue;
      }
      t.prepare(nowNanos);
      if (t.mode == Mode.MEASURED) {
        sum += t.ladder.topCost();
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
    AllocatedTrack t = track(handle);
    if (t.disabled) {
      return NONE;
    }
    if (t.source == Source.AUDIO) {
      return 0;
    }
    return t.preferredSpatial(Math.clamp(t.layers.spatialCount(), 1, MAX));
  }

  private AllocatedTrack track(int handle) {
    if (handle < 0 || handle >= tracks.length || tracks[handle] == null) {
      throw new IllegalArgumentException("no track with handle " + handle);
    }
    return tracks[handle];
  }

  /**
   * The temporal layer a frame-rate preference asks for among {@code tc} ({@link
   * LayerPreference#temporal}): the bound the allocator's tests hold its targets to.
   */
  static int preferredTemporal(int maxFps, int tc) {
    return LayerPreference.temporal(maxFps, tc);
  }

  /**
   * Insertion sort of order[0..n) by priority class, then age: n is small, and nothing allocates.
   */
  private void sortByPriority(int n) {
    for (int i = 1; i < n; i++) {
      int h = order[i];
      AllocatedTrack t = tracks[h];
      int j = i - 1;
      while (j >= 0 && t.before(tracks[order[j]])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = h;
    }
  }

  private static State inactiveOr(AllocatedTrack t, State state) {
    return t.disabled ? State.INACTIVE : state;
  }
}
