package eu.visio.sfu.svc;

import eu.visio.sfu.layer.LayerDropReason;
import eu.visio.sfu.layer.LayerSelector.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SvcLayerFilter} of an AV1 stream, read from its dependency descriptor. The target (S,
 * T) picks the active decode target with the highest layers &le; (S, T); a frame is forwarded iff
 * its DTI for the current decode target is not NOT_PRESENT, so a K-SVC subscriber gets no
 * lower-layer frames it does not need. The filter moves to the chosen decode target at a frame
 * whose DTI for it is SWITCH and whose references were all forwarded (a keyframe qualifies: it has
 * none), or, at a picture start, at once when the new decode target's frames are a subset of the
 * current one's (going down in full SVC or in time). While the chosen decode target waits for a
 * switch frame (a K-SVC spatial change needs a keyframe), the filter keeps the current spatial
 * layer, as a simulcast subscriber keeps its encoding, but comes down in time at once where the
 * current decode target contains a lower one. A frame is never forwarded when a frame it references
 * was seen and dropped (a late frame from before a switch, judged by the new decode target, may be
 * one): it is counted {@link LayerDropReason#STALE}. A reference not seen yet (lost, to be
 * retransmitted) does not hold it.
 *
 * <p>Decisions are per frame (by frame number), so every packet of a frame follows its first one.
 * The marker goes on the end of the current decode target's spatial layer.
 */
public final class Av1LayerFilter extends SvcLayerFilter {
  private static final Logger log = LoggerFactory.getLogger(Av1LayerFilter.class);

  // Decode targets of the stream's structure, decisions per frame number.
  private DependencyStructure structure;
  private int activeTargets;
  private int wantedTarget = NONE;
  private boolean wantedDirty = true;
  private int currentTarget = NONE;
  private final FrameWindow frames = new FrameWindow();
  private int pictureFirstFrame;
  private int startFrame;

  /**
   * A filter for the down track {@code id} (used in logs), asking again for a keyframe every {@code
   * keyframeRetryNanos} while a switch waits for one.
   */
  public Av1LayerFilter(String id, long keyframeRetryNanos) {
    super(id, log, keyframeRetryNanos);
  }

  /** A filter asking again for a pending keyframe every 500 ms. */
  public Av1LayerFilter(String id) {
    this(id, 500_000_000L);
  }

  /**
   * Decides for one packet of an AV1 stream.
   *
   * @param dd the stream's dependency descriptor, parsed from this packet
   * @param parsed whether {@code dd} parsed; otherwise the packet is dropped and counted
   * @param timestamp its RTP timestamp (identifies the picture, a temporal unit)
   * @param marker its RTP marker bit
   */
  public Decision decideAv1(
      DependencyDescriptor dd, boolean parsed, int timestamp, boolean marker) {
    setMarker = false;
    if (!parsed || !dd.valid()) {
      return drop(
          dd.missingStructure() ? LayerDropReason.NOT_KEYFRAME_YET : LayerDropReason.MALFORMED,
          Decision.DROP);
    }
    DependencyStructure st = dd.structure();
    if (st != structure) {
      onStructure(st);
    }
    if (dd.activeDecodeTargets() != activeTargets) {
      activeTargets = dd.activeDecodeTargets();
      wantedDirty = true;
    }
    if (wantedDirty) {
      wantedTarget = chooseTarget();
      wantedDirty = false;
    }
    int frame = dd.frameNumber();
    boolean newest = !havePicture() || timestamp - pictureTs() >= 0;
    if (!havePicture() || timestamp - pictureTs() > 0) {
      startPicture(timestamp);
      pictureFirstFrame = frame;
    }
    boolean forward;
    if (frames.seen(frame)) {
      forward = frames.forwarded(frame); // a later packet of a decided frame
    } else {
      if (frames.isNew(frame)) {
        switchTarget(dd, frame, newest && frame == pictureFirstFrame);
      } else if (started() && (short) (frame - startFrame) < 0) {
        return drop(LayerDropReason.STALE, Decision.DROP);
      }
      forward = currentTarget != NONE && dd.dti(currentTarget) != DependencyDescriptor.NOT_PRESENT;
      if (forward && referenceDropped(dd, frame)) {
        // A late frame from before a switch (its first packets lost or reordered past the switch
        // frame) is judged by the new decode target, but it belongs to the old one and may build
        // on frames we dropped: the subscriber could never decode it.
        frames.record(frame, false);
        return drop(LayerDropReason.STALE, Decision.DROP_IN_STREAM);
      }
      frames.record(frame, forward);
    }
    if (!forward) {
      if (currentTarget == NONE) {
        return drop(
            targetSpatial() == NONE ? LayerDropReason.PAUSED : LayerDropReason.NOT_KEYFRAME_YET,
            Decision.DROP);
      }
      return drop(
          dd.spatialId() > st.decodeTargetSpatialId(currentTarget)
                  || dd.temporalId() <= st.decodeTargetTemporalId(currentTarget)
              ? LayerDropReason.LAYER_NOT_SELECTED
              : LayerDropReason.TEMPORAL_LAYER_DROPPED,
          Decision.DROP_IN_STREAM);
    }
    setMarker =
        marker
            || (dd.endOfFrame()
                && currentTarget != NONE
                && dd.spatialId() == st.decodeTargetSpatialId(currentTarget));
    return forwarded(newest);
  }

  /** The decode target being forwarded, or {@link #NONE}. */
  public int currentDecodeTarget() {
    return currentTarget;
  }

  /** The decode target chosen for the target layers (as of the last packet), or {@link #NONE}. */
  public int wantedDecodeTarget() {
    return wantedTarget;
  }

  @Override
  protected void onTargetChanged() {
    wantedDirty = true;
  }

  private int chooseTarget() {
    return DecodeTargets.choose(structure, activeTargets, targetSpatial(), targetTemporal());
  }

  /** Moves to the wanted decode target when this new frame allows it. */
  private void switchTarget(DependencyDescriptor dd, int frame, boolean pictureStart) {
    int want = wantedTarget;
    if (want == currentTarget) {
      return;
    }
    if (want == NONE) {
      if (pictureStart) {
        pauseNow();
      }
      return;
    }
    int from = currentTarget;
    boolean subset = from != NONE && DecodeTargets.contains(structure, from, want);
    if (subset && pictureStart) {
      setDecodeTarget(want, "switched to contained decode target");
    } else if (dd.dti(want) == DependencyDescriptor.SWITCH
        && !markerSent
        && referencesForwarded(dd, frame)) {
      if (from == NONE) {
        markStarted();
        startFrame = frame;
      }
      resetKeyframeRetry();
      setDecodeTarget(want, from == NONE ? "started at switch frame" : "switched at switch frame");
    } else if (pictureStart
        && from != NONE
        && (currentSpatial > targetSpatial() || currentTemporal > targetTemporal())) {
      // The wanted target needs a switch frame (e.g. a keyframe): meanwhile come down as far as
      // the decode targets inside the current one allow, so a lower target is honoured at once.
      int step =
          DecodeTargets.containedStep(
              structure, activeTargets, from, targetSpatial(), targetTemporal());
      if (step != NONE && step != from) {
        setDecodeTarget(step, "stepped down while waiting");
      }
    }
  }

  @Override
  void pauseNow() {
    super.pauseNow();
    currentTarget = NONE;
  }

  /** Whether a frame {@code frame} references was decided here and dropped. */
  private boolean referenceDropped(DependencyDescriptor dd, int frame) {
    for (int i = 0, n = dd.fdiffCount(); i < n; i++) {
      if (frames.dropped((frame - dd.fdiff(i)) & 0xFFFF)) {
        return true;
      }
    }
    return false;
  }

  private boolean referencesForwarded(DependencyDescriptor dd, int frame) {
    for (int i = 0, n = dd.fdiffCount(); i < n; i++) {
      if (!frames.forwarded((frame - dd.fdiff(i)) & 0xFFFF)) {
        return false;
      }
    }
    return true;
  }

  private void setDecodeTarget(int dt, String what) {
    int fromS = currentSpatial;
    int fromT = currentTemporal;
    int fromDt = currentTarget;
    currentTarget = dt;
    currentSpatial = structure.decodeTargetSpatialId(dt);
    currentTemporal = structure.decodeTargetTemporalId(dt);
    countSwitch();
    if (log.isDebugEnabled()) {
      log.debug(
          "downtrack={} {} dt{} s{}t{} -> dt{} s{}t{} (target s{}t{})",
          id(),
          what,
          fromDt,
          fromS,
          fromT,
          dt,
          currentSpatial,
          currentTemporal,
          targetSpatial(),
          targetTemporal());
    }
  }

  /** A new structure may renumber decode targets: keep the current one by its layers. */
  private void onStructure(DependencyStructure st) {
    int mapped = NONE;
    if (currentTarget != NONE) {
      for (int dt = 0; dt < st.decodeTargets(); dt++) {
        if (st.decodeTargetSpatialId(dt) == currentSpatial
            && st.decodeTargetTemporalId(dt) == currentTemporal) {
          mapped = dt;
          break;
        }
      }
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "downtrack={} new dependency structure: {} decode targets, dt{} -> dt{}",
          id(),
          st.decodeTargets(),
          currentTarget,
          mapped);
    }
    structure = st;
    currentTarget = mapped;
    if (mapped == NONE) {
      currentSpatial = NONE;
      currentTemporal = NONE;
    }
    wantedDirty = true;
  }

  /**
   * Until started (or while no structure is known), and while the wanted decode target is neither
   * the current one nor inside it, unless it keeps the current spatial layer (a temporal change
   * waits for a switch frame, which comes without asking).
   */
  @Override
  boolean keyframeNeeded() {
    if (structure == null || currentTarget == NONE) {
      return true;
    }
    int want = wantedDirty ? chooseTarget() : wantedTarget;
    if (want == NONE || want == currentTarget) {
      return false;
    }
    boolean contained = DecodeTargets.contains(structure, currentTarget, want);
    return !contained && structure.decodeTargetSpatialId(want) != currentSpatial;
  }
}
