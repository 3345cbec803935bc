package eu.visio.sfu.svc;

import eu.visio.sfu.layer.LayerDropReason;
import eu.visio.sfu.layer.LayerSelector.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SvcLayerFilter} of a VP9 stream (RFC 9628). A picture is one frame per spatial layer,
 * all with the RTP timestamp of the picture. The subscriber gets every frame with SID &le; S and
 * TID &le; T (lower spatial layers are kept even in K-SVC, where upper layers use them only at
 * keyframes: the VP9 descriptor cannot tell which lower frames a later picture needs). Layers
 * change at picture starts: down at once (everything below was forwarded); temporal up at a frame
 * with the U bit whose TID is above the current one; spatial up at a key picture (B, P=0, SID 0),
 * which starts every layer, or at a frame of the next layer without inter-picture prediction (P=0)
 * inside the picture while its end has not been marked yet.
 *
 * <p><b>Marker</b>: a spatial switching point inside a picture is only usable before the marker
 * went out, so the end of a frame without inter-picture prediction is left unmarked while a spatial
 * up-switch is pending (the next layer's frame of such a picture is usually a switching point too;
 * LiveKit's VP9 selector does the same).
 *
 * <p>Late packets of the picture before the newest follow that picture's layers; older ones, from
 * before forwarding started, are dropped as {@link LayerDropReason#STALE}.
 */
public final class Vp9LayerFilter extends SvcLayerFilter {
  private static final Logger log = LoggerFactory.getLogger(Vp9LayerFilter.class);

  // The picture before the newest and its layers, for late packets.
  private boolean havePrevious;
  private int previousTs;
  private int previousSpatial = NONE;
  private int previousTemporal = NONE;
  private int startTs;

  /**
   * A filter for the down track {@code id} (used in logs), asking again for a keyframe every {@code
   * keyframeRetryNanos} while a switch waits for one.
   */
  public Vp9LayerFilter(String id, long keyframeRetryNanos) {
    super(id, log, keyframeRetryNanos);
  }

  /** A filter asking again for a pending keyframe every 500 ms. */
  public Vp9LayerFilter(String id) {
    this(id, 500_000_000L);
  }

  /**
   * Decides for one packet of a VP9 stream.
   *
   * @param d its descriptor
   * @param parsed whether {@code d} parsed; a malformed packet is dropped and counted
   * @param timestamp its RTP timestamp (identifies the picture)
   * @param marker its RTP marker bit
   */
  public Decision decideVp9(Vp9Descriptor d, boolean parsed, int timestamp, boolean marker) {
    setMarker = false;
    if (!parsed || !d.valid()) {
      return drop(LayerDropReason.MALFORMED, Decision.DROP);
    }
    int targetSpatial = targetSpatial();
    int sid = d.sid();
    int tid = d.tid();
    int s;
    int t;
    boolean newest = true;
    int age = havePicture() ? timestamp - pictureTs() : 1;
    if (age > 0) {
      startPicture(timestamp);
      pictureStart(d, timestamp);
      s = currentSpatial;
      t = currentTemporal;
    } else if (age == 0) {
      if (d.keyframe() && !pictureForwarded && targetSpatial != NONE) {
        keyframe(timestamp); // its first packet came late: nothing of the picture went out yet
      } else if (currentSpatial != NONE
          && d.startOfFrame()
          && !d.interPicturePredicted()
          && !markerSent
          && sid == currentSpatial + 1
          && sid <= targetSpatial
          && tid <= currentTemporal) {
        int from = currentSpatial;
        currentSpatial = sid; // a spatial switching point: depends on this picture only
        countSwitch();
        logLayers("spatial up at switching point", from, currentTemporal);
      }
      s = currentSpatial;
      t = currentTemporal;
    } else {
      newest = false;
      if (started() && timestamp - startTs < 0) {
        return drop(LayerDropReason.STALE, Decision.DROP);
      }
      if (havePrevious && timestamp == previousTs) {
        s = previousSpatial;
        t = previousTemporal;
      } else {
        s = Math.min(previousSpatial, currentSpatial);
        t = Math.min(previousTemporal, currentTemporal);
      }
    }
    if (s == NONE) {
      return drop(
          targetSpatial == NONE ? LayerDropReason.PAUSED : LayerDropReason.NOT_KEYFRAME_YET,
          Decision.DROP);
    }
    if (sid > s) {
      return drop(LayerDropReason.LAYER_NOT_SELECTED, Decision.DROP_IN_STREAM);
    }
    if (tid > t) {
      return drop(LayerDropReason.TEMPORAL_LAYER_DROPPED, Decision.DROP_IN_STREAM);
    }
    if (marker) {
      setMarker = true;
    } else if (d.endOfFrame() && sid == s) {
      // Leave a key-like picture open while we want a higher layer: see the class comment.
      setMarker = !(newest && s < targetSpatial && !d.interPicturePredicted());
    }
    return forwarded(newest);
  }

  @Override
  void startPicture(int timestamp) {
    havePrevious = havePicture();
    previousTs = pictureTs();
    previousSpatial = currentSpatial;
    previousTemporal = currentTemporal;
    super.startPicture(timestamp);
  }

  /** The layers of a new picture, decided on its first packet. */
  private void pictureStart(Vp9Descriptor d, int timestamp) {
    int targetSpatial = targetSpatial();
    int targetTemporal = targetTemporal();
    if (targetSpatial == NONE) {
      pauseNow();
    } else if (d.keyframe()) {
      keyframe(timestamp);
    } else if (currentSpatial != NONE) {
      int fromS = currentSpatial;
      int fromT = currentTemporal;
      if (targetSpatial < currentSpatial) {
        currentSpatial = targetSpatial;
      }
      if (targetTemporal < currentTemporal) {
        currentTemporal = targetTemporal;
      } else if (targetTemporal > currentTemporal
          && d.startOfFrame()
          && d.switchingUp()
          && d.tid() > currentTemporal
          && d.tid() <= targetTemporal) {
        currentTemporal = d.tid();
      }
      if (fromS != currentSpatial || fromT != currentTemporal) {
        countSwitch();
        logLayers("switched", fromS, fromT);
      }
    }
  }

  /** A key picture: every layer restarts, so the target applies at once. */
  private void keyframe(int timestamp) {
    int fromS = currentSpatial;
    int fromT = currentTemporal;
    if (currentSpatial == NONE) {
      markStarted();
      startTs = timestamp;
    }
    currentSpatial = targetSpatial();
    currentTemporal = targetTemporal();
    resetKeyframeRetry();
    if (fromS != currentSpatial || fromT != currentTemporal) {
      countSwitch();
      logLayers(fromS == NONE ? "started at keyframe" : "switched at keyframe", fromS, fromT);
    }
  }

  /** Until started, and while a higher spatial layer waits for its key picture. */
  @Override
  boolean keyframeNeeded() {
    return currentSpatial == NONE || currentSpatial < targetSpatial();
  }
}
