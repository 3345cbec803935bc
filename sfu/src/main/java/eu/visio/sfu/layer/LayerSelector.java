package eu.visio.sfu.layer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per packet, whether a subscriber receives it, given the layer the subscriber should get
 * (set by the bandwidth allocator) and the one it currently gets. Codec-agnostic: the caller reads
 * the spatial layer (the simulcast encoding the packet came on), temporal id, layer-sync flag,
 * keyframe and frame start from the payload (e.g. {@link Vp8Descriptor}).
 *
 * <p><b>Spatial</b> (simulcast): encodings are independent streams, so the subscriber can only move
 * to another one, up or down, at a keyframe of that encoding. Until then it keeps receiving the
 * current one, and {@link #keyframeRequest} asks for the keyframe. Pausing takes effect at the next
 * frame start of the current encoding, so the frame in flight is not cut.
 *
 * <p><b>Temporal</b> (VP8 TID, RFC 7741 §4.2): only whole frames are dropped. Going down applies at
 * the next frame start. Going up needs a frame the decoder can use without the skipped frames: a
 * frame of the new layer with the layer-sync bit Y (it depends on base-layer frames only), or a
 * keyframe (which resets every reference and allows the target at once). Base-layer (TID 0) frames
 * are always forwarded, so every up-switch builds on a complete base layer. An ordinary TID 0 frame
 * is not an up-switch point: upper-layer frames after it may still reference upper-layer frames we
 * skipped. A stream without temporal layers is all TID 0.
 *
 * <p>Every drop is counted under a {@link LayerDropReason}; decisions (switches, target changes,
 * keyframe requests) are logged at debug with the down track id, never per packet. Not thread-safe:
 * owned by one media loop; no allocation per packet.
 */
// Counters are a primitive array indexed by reason ordinal: no boxing, no map lookup per drop.
@SuppressWarnings("EnumOrdinal")
public final class LayerSelector {
  /** No layer: not started, or paused. */
  public static final int NONE = -1;

  /** The highest VP8 temporal layer id (TID is two bits). */
  public static final int MAX_TEMPORAL = 3;

  /** What to do with one packet. */
  public enum Decision {
    /** Send it. */
    FORWARD,
    /**
     * Send it: it is the keyframe that starts a new encoding. Resynchronise the rewriters
     * (sequence, timestamp, codec fields) on it first.
     */
    SWITCH,
    /**
     * Do not send it, but it belongs to the stream being forwarded: tell the rewriters, so the
     * output closes up behind it.
     */
    DROP_IN_STREAM,
    /** Do not send it: another encoding, or nothing is being forwarded. Rewriters never see it. */
    DROP,
  }

  private static final Logger log = LoggerFactory.getLogger(LayerSelector.class);
  private static final LayerDropReason[] REASONS = LayerDropReason.values();

  private final String id;
  private final KeyframeRetry keyframeRetry;
  private final long[] drops = new long[REASONS.length];
  private ForwardDrops totals;

  private int currentSpatial = NONE;
  private int targetSpatial = NONE;
  private int currentTemporal = MAX_TEMPORAL;
  private int targetTemporal = MAX_TEMPORAL;
  private LayerDropReason lastDropReason;
  private long switches;

  /**
   * A selector for the down track {@code id} (used in logs), asking again for a keyframe every
   * {@code keyframeRetryNanos} while a switch waits for one.
   */
  public LayerSelector(String id, long keyframeRetryNanos) {
    this.id = id;
    this.keyframeRetry = new KeyframeRetry(keyframeRetryNanos);
  }

  /** A selector asking again for a pending keyframe every 500 ms. */
  public LayerSelector(String id) {
    this(id, 500_000_000L);
  }

  /**
   * Sets the layers this subscriber should receive: a simulcast encoding index ({@link #NONE} to
   * pause) and the highest temporal layer (0..{@value #MAX_TEMPORAL}). Takes effect on the packets
   * that allow it (see the class comment).
   */
  public void setTarget(int spatial, int temporal) {
    int s = spatial < 0 ? NONE : spatial;
    int t = Math.clamp(temporal, 0, MAX_TEMPORAL);
    if (s == targetSpatial && t == targetTemporal) {
      return;
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "downtrack={} target layer s{}t{} -> s{}t{} (current s{}t{})",
          id,
          targetSpatial,
          targetTemporal,
          s,
          t,
          currentSpatial,
          currentTemporal);
    }
    if (s != targetSpatial) {
      keyframeRetry.reset(); // ask for the new target's keyframe at once
    }
    targetSpatial = s;
    targetTemporal = t;
  }

  /**
   * Forgets the current encoding, keeping the target: the source changed (a publisher reconnected)
   * and forwarding restarts at the target's next keyframe ({@link Decision#SWITCH}).
   */
  public void restart() {
    if (currentSpatial != NONE) {
      logSwitch("restarting", currentSpatial);
    }
    currentSpatial = NONE;
    keyframeRetry.reset();
  }

  /** Stops forwarding at the next frame start. */
  public void pause() {
    setTarget(NONE, targetTemporal);
  }

  /**
   * Decides for one packet of the source.
   *
   * @param spatial the simulcast encoding index the packet arrived on
   * @param tid its temporal layer id (0 when the codec or stream has none)
   * @param layerSync whether its frame depends only on the base layer (VP8 Y bit)
   * @param keyframe whether it is the first packet of a keyframe
   * @param frameStart whether it is the first packet of a frame
   */
  public Decision decide(
      int spatial, int tid, boolean layerSync, boolean keyframe, boolean frameStart) {
    if (spatial == currentSpatial && spatial != NONE) {
      if (targetSpatial == NONE && frameStart) {
        int from = currentSpatial;
        currentSpatial = NONE;
        logSwitch("paused", from);
        return drop(LayerDropReason.PAUSED, Decision.DROP);
      }
      // Also while a switch to another encoding waits for its keyframe: keep this one going.
      return temporal(tid, layerSync, keyframe, frameStart);
    }
    if (spatial == targetSpatial && spatial != NONE) {
      if (!keyframe) {
        return drop(LayerDropReason.NOT_KEYFRAME_YET, Decision.DROP);
      }
      int from = currentSpatial;
      currentSpatial = spatial;
      currentTemporal = targetTemporal; // a keyframe resets every reference
      logSwitch(from == NONE ? "started" : "switched", from);
      keyframeRetry.reset();
      switches++;
      return Decision.SWITCH;
    }
    if (currentSpatial == NONE && targetSpatial == NONE) {
      return drop(LayerDropReason.PAUSED, Decision.DROP);
    }
    return drop(LayerDropReason.LAYER_NOT_SELECTED, Decision.DROP);
  }

  /**
   * The encoding to request a keyframe from now, or {@link #NONE}: while a switch waits for a
   * keyframe, once at once and then every retry interval. Call after {@link #decide} or on a timer.
   */
  public int keyframeRequest(long nowNanos) {
    if (targetSpatial == NONE || targetSpatial == currentSpatial) {
      return NONE;
    }
    if (!keyframeRetry.due(nowNanos)) {
      return NONE;
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "downtrack={} keyframe request for layer s{} (current s{})",
          id,
          targetSpatial,
          currentSpatial);
    }
    return targetSpatial;
  }

  /** Counts a drop decided by the caller (e.g. {@link LayerDropReason#STALE} from a rewriter). */
  public void countDrop(LayerDropReason reason) {
    drops[reason.ordinal()]++;
    if (totals != null) {
      totals.count(reason);
    }
    lastDropReason = reason;
  }

  /** Also counts every drop into {@code totals} (the worker's), or stops when null. */
  public void countInto(ForwardDrops totals) {
    this.totals = totals;
  }

  /** Packets dropped for {@code reason}. */
  public long dropCount(LayerDropReason reason) {
    return drops[reason.ordinal()];
  }

  /** Reason of the last drop, or null before any. */
  public LayerDropReason lastDropReason() {
    return lastDropReason;
  }

  public int currentSpatial() {
    return currentSpatial;
  }

  public int targetSpatial() {
    return targetSpatial;
  }

  public int currentTemporal() {
    return currentTemporal;
  }

  public int targetTemporal() {
    return targetTemporal;
  }

  /** Number of times forwarding started on or switched to an encoding. */
  public long switches() {
    return switches;
  }

  /** Temporal filtering of a packet of the current encoding, moving layers at frame starts. */
  private Decision temporal(int tid, boolean layerSync, boolean keyframe, boolean frameStart) {
    if (frameStart && currentTemporal != targetTemporal) {
      int from = currentTemporal;
      if (targetTemporal < currentTemporal) {
        currentTemporal = targetTemporal;
      } else if (keyframe) {
        currentTemporal = targetTemporal;
      } else if (layerSync && tid > currentTemporal && tid <= targetTemporal) {
        currentTemporal = tid;
      }
      if (from != currentTemporal && log.isDebugEnabled()) {
        log.debug(
            "downtrack={} temporal layer s{} t{} -> t{} (target t{})",
            id,
            currentSpatial,
            from,
            currentTemporal,
            targetTemporal);
      }
    }
    if (tid > currentTemporal) {
      return drop(LayerDropReason.TEMPORAL_LAYER_DROPPED, Decision.DROP_IN_STREAM);
    }
    return Decision.FORWARD;
  }

  private Decision drop(LayerDropReason reason, Decision decision) {
    drops[reason.ordinal()]++;
    if (totals != null) {
      totals.count(reason);
    }
    lastDropReason = reason;
    return decision;
  }

  private void logSwitch(String what, int from) {
    if (log.isDebugEnabled()) {
      log.debug(
          "downtrack={} {} layer s{} -> s{} t{} (target s{}t{})",
          id,
          what,
          from,
          currentSpatial,
          currentTemporal,
          targetSpatial,
          targetTemporal);
    }
  }
}
