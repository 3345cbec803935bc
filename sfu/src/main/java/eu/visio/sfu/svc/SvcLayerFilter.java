package eu.visio.sfu.svc;

import eu.visio.sfu.layer.LayerDropReason;
import eu.visio.sfu.layer.LayerFilter;
import eu.visio.sfu.layer.LayerSelector.Decision;
import org.slf4j.Logger;

/**
 * Decides, per packet and per down track, which packets of one scalable (SVC) stream a subscriber
 * receives, given the spatial and temporal layer the bandwidth allocator chose for it: {@link
 * Vp9LayerFilter} for VP9 (RFC 9628), {@link Av1LayerFilter} for AV1 (dependency descriptor). All
 * layers travel on one SSRC, so every drop is inside the forwarded stream: the caller records it in
 * its sequence rewriter so the output closes up ({@link Decision#DROP_IN_STREAM}).
 *
 * <p>This class holds what both codecs track: the newest picture (by RTP timestamp), whether its
 * marker went out, whether forwarding has started, and where the marker goes.
 *
 * <p><b>Marker</b>: the RTP marker ends a picture, and the source sets it on the highest spatial
 * layer. When upper layers are dropped, {@link #setMarker()} says to set it on the end of the
 * highest forwarded layer's frame (or keep it when the source set it).
 *
 * <p>Every drop is counted under a {@link LayerDropReason}; decisions (start, switch, pause,
 * keyframe requests) are logged at debug with the down track id, never per packet. Not thread-safe:
 * owned by one media loop; no allocation per packet.
 */
public abstract sealed class SvcLayerFilter extends LayerFilter
    permits Vp9LayerFilter, Av1LayerFilter {
  /** The highest temporal layer id (three bits in both VP9 and AV1). */
  public static final int MAX_TEMPORAL = 7;

  /** Whether the copy of the packet just decided must carry the marker. */
  boolean setMarker;

  /** Whether the newest picture's marker went out (it ends the picture for the subscriber). */
  boolean markerSent;

  /** Whether any packet of the newest picture went out. */
  boolean pictureForwarded;

  // The newest picture (RTP timestamp).
  private boolean havePicture;
  private int pictureTs;

  private boolean started;
  private boolean switchPending;

  SvcLayerFilter(String id, Logger log, long keyframeRetryNanos) {
    super(id, log, keyframeRetryNanos, MAX_TEMPORAL, NONE);
  }

  /**
   * Whether the copy of the last packet decided {@link Decision#FORWARD} or {@link Decision#SWITCH}
   * must carry the RTP marker: the source's marker, or the end of the highest spatial layer this
   * subscriber receives in the picture.
   */
  public final boolean setMarker() {
    return setMarker;
  }

  /**
   * Whether to ask the publisher for a keyframe now: while forwarding has not started, or a spatial
   * switch waits for one (temporal switches wait for switching points, which come without asking).
   * Once at once, then every retry interval. Call after a decision or on a timer.
   */
  public final boolean keyframeRequest(long nowNanos) {
    return targetSpatial() != NONE && keyframeNeeded() && keyframeDue(nowNanos);
  }

  /** Whether the target needs a keyframe to be reached; the target is not {@link #NONE}. */
  abstract boolean keyframeNeeded();

  /** Whether a picture has been seen. */
  final boolean havePicture() {
    return havePicture;
  }

  /** RTP timestamp of the newest picture; meaningful once {@link #havePicture()}. */
  final int pictureTs() {
    return pictureTs;
  }

  /** Whether forwarding started once (it then never forwards from before its start). */
  final boolean started() {
    return started;
  }

  /** Forwarding starts on the packet being decided: it goes out as {@link Decision#SWITCH}. */
  final void markStarted() {
    started = true;
    switchPending = true;
  }

  /** A packet of a picture newer than every one seen. */
  void startPicture(int timestamp) {
    havePicture = true;
    pictureTs = timestamp;
    markerSent = false;
    pictureForwarded = false;
  }

  /** The target is {@link #NONE}: forwarding stops here, at a picture start. */
  void pauseNow() {
    if (currentSpatial != NONE) {
      int fromS = currentSpatial;
      int fromT = currentTemporal;
      currentSpatial = NONE;
      currentTemporal = NONE;
      switchPending = false;
      logLayers("paused", fromS, fromT);
    }
  }

  /** The decision for a packet that goes out, {@code newest} when of the newest picture. */
  final Decision forwarded(boolean newest) {
    if (newest) {
      pictureForwarded = true;
      if (setMarker) {
        markerSent = true;
      }
    }
    if (switchPending) {
      switchPending = false;
      return Decision.SWITCH;
    }
    return Decision.FORWARD;
  }
}
