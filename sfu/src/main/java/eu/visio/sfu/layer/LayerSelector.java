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
 * keyframe requests) are logged at debug with the down track id, never per packet (see {@link
 * LayerFilter}). Not thread-safe: owned by one media loop; no allocation per packet.
 */
public final class LayerSelector extends LayerFilter {
  /** The highest VP8 temporal layer id (TID is two bits). */
  public static final int MAX_TEMPORAL = 3;

  /** What to do with one packet (also the SVC filters' decisions). */
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

  /**
   * A selector for the down track {@code id} (used in logs), asking again for a keyframe every
   * {@code keyframeRetryNanos} while a switch waits for one.
   */
  public LayerSelector(String id, long keyframeRetryNanos) {
    super(id, log, keyframeRetryNanos, MAX_TEMPORAL, MAX_TEMPORAL);
  }

  /** A selector asking again for a pending keyframe every 500 ms. */
  public LayerSelector(String id) {
    this(id, 500_000_000L);
  }

  /**
   * Forgets the current encoding, keeping the target: the source changed (a publisher reconnected)
   * and forwarding restarts at the target's next keyframe ({@link Decision#SWITCH}).
   */
  public void restart() {
    int from = currentSpatial;
    currentSpatial = NONE;
    if (from != NONE) {
      logLayers("restarting", from, currentTemporal);
    }
    resetKeyframeRetry();
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
    int targetSpatial = targetSpatial();
    if (spatial == currentSpatial && spatial != NONE) {
      if (targetSpatial == NONE && frameStart) {
        int from = currentSpatial;
        currentSpatial = NONE;
        logLayers("paused", from, currentTemporal);
        return drop(LayerDropReason.PAUSED, Decision.DROP);
      }
      // Also while a switch to another encoding waits for its keyframe: keep this one going.
      return temporal(tid, layerSync, keyframe, frameStart);
    }
    if (spatial == targetSpatial && spatial != NONE) {
      if (!keyframe) {
        return drop(LayerDropReason.NOT_KEYFRAME_YET, Decision.DROP);
      }
      int fromS = currentSpatial;
      int fromT = currentTemporal;
      currentSpatial = spatial;
      currentTemporal = targetTemporal(); // a keyframe resets every reference
      logLayers(fromS == NONE ? "started" : "switched", fromS, fromT);
      resetKeyframeRetry();
      countSwitch();
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
    int targetSpatial = targetSpatial();
    if (targetSpatial == NONE || targetSpatial == currentSpatial || !keyframeDue(nowNanos)) {
      return NONE;
    }
    return targetSpatial;
  }

  /** Temporal filtering of a packet of the current encoding, moving layers at frame starts. */
  private Decision temporal(int tid, boolean layerSync, boolean keyframe, boolean frameStart) {
    int targetTemporal = targetTemporal();
    if (frameStart && currentTemporal != targetTemporal) {
      int from = currentTemporal;
      if (targetTemporal < currentTemporal) {
        currentTemporal = targetTemporal;
      } else if (keyframe) {
        currentTemporal = targetTemporal;
      } else if (layerSync && tid > currentTemporal && tid <= targetTemporal) {
        currentTemporal = tid;
      }
      if (from != currentTemporal) {
        logLayers("temporal switch", currentSpatial, from);
      }
    }
    if (tid > currentTemporal) {
      return drop(LayerDropReason.TEMPORAL_LAYER_DROPPED, Decision.DROP_IN_STREAM);
    }
    return Decision.FORWARD;
  }
}
