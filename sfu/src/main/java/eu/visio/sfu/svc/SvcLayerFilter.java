package eu.visio.sfu.svc;

import eu.visio.sfu.layer.ForwardDrops;
import eu.visio.sfu.layer.KeyframeRetry;
import eu.visio.sfu.layer.LayerDropReason;
import eu.visio.sfu.layer.LayerSelector.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per packet and per down track, which packets of one scalable (SVC) stream a subscriber
 * receives, given the spatial and temporal layer the bandwidth allocator chose for it. All layers
 * travel on one SSRC, so every drop is inside the forwarded stream: the caller records it in its
 * sequence rewriter so the output closes up ({@link Decision#DROP_IN_STREAM}).
 *
 * <p><b>VP9</b> ({@link #decideVp9}, RFC 9628): a picture is one frame per spatial layer, all with
 * the RTP timestamp of the picture. The subscriber gets every frame with SID &le; S and TID &le; T
 * (lower spatial layers are kept even in K-SVC, where upper layers use them only at keyframes: the
 * VP9 descriptor cannot tell which lower frames a later picture needs). Layers change at picture
 * starts: down at once (everything below was forwarded); temporal up at a frame with the U bit
 * whose TID is above the current one; spatial up at a key picture (B, P=0, SID 0), which starts
 * every layer, or at a frame of the next layer without inter-picture prediction (P=0) inside the
 * picture while its end has not been marked yet.
 *
 * <p><b>AV1</b> ({@link #decideAv1}, dependency descriptor): the target (S, T) picks the active
 * decode target with the highest layers &le; (S, T); a frame is forwarded iff its DTI for the
 * current decode target is not NOT_PRESENT, so a K-SVC subscriber gets no lower-layer frames it
 * does not need. The filter moves to the chosen decode target at a frame whose DTI for it is SWITCH
 * and whose references were all forwarded (a keyframe qualifies: it has none), or, at a picture
 * start, at once when the new decode target's frames are a subset of the current one's (going down
 * in full SVC or in time). While the chosen decode target waits for a switch frame (a K-SVC spatial
 * change needs a keyframe), the filter keeps the current spatial layer, as a simulcast subscriber
 * keeps its encoding, but comes down in time at once where the current decode target contains a
 * lower one. A frame is never forwarded when a frame it references was seen and dropped (a late
 * frame from before a switch, judged by the new decode target, may be one): it is counted {@link
 * LayerDropReason#STALE}. A reference not seen yet (lost, to be retransmitted) does not hold it.
 *
 * <p><b>Marker</b>: the RTP marker ends a picture, and the source sets it on the highest spatial
 * layer. When upper layers are dropped, {@link #setMarker()} says to set it on the end of the
 * highest forwarded layer's frame (or keep it when the source set it). A VP9 spatial switching
 * point inside a picture is only usable before the marker went out, so the end of a frame without
 * inter-picture prediction is left unmarked while a spatial up-switch is pending (the next layer's
 * frame of such a picture is usually a switching point too; LiveKit's VP9 selector does the same).
 *
 * <p>Every drop is counted under a {@link LayerDropReason}; decisions (start, switch, pause,
 * keyframe requests) are logged at debug with the down track id, never per packet. Not thread-safe:
 * owned by one media loop; no allocation per packet. One codec per instance.
 */
// Counters are a primitive array indexed by reason ordinal: no boxing, no map lookup per drop.
@SuppressWarnings("EnumOrdinal")
public final class SvcLayerFilter {
  /** No layer: not started, or paused. */
  public static final int NONE = -1;

  /** The highest temporal layer id (three bits in both VP9 and AV1). */
  public static final int MAX_TEMPORAL = 7;

  private static final Logger log = LoggerFactory.getLogger(SvcLayerFilter.class);
  private static final LayerDropReason[] REASONS = LayerDropReason.values();

  private final String id;
  private final KeyframeRetry keyframeRetry;
  private final long[] drops = new long[REASONS.length];
  private ForwardDrops totals;
  private LayerDropReason lastDropReason;
  private long switches;

  private int targetSpatial = NONE;
  private int targetTemporal = MAX_TEMPORAL;
  private boolean av1;

  private boolean setMarker;
  private boolean started;
  private boolean switchPending;

  // The newest picture (RTP timestamp) and its layers; the one before, for late packets.
  private boolean havePicture;
  private int pictureTs;
  private boolean markerSent;
  private boolean pictureForwarded;
  private int currentSpatial = NONE;
  private int currentTemporal = NONE;
  private boolean havePrevious;
  private int previousTs;
  private int previousSpatial = NONE;
  private int previousTemporal = NONE;
  private int startTs;

  // AV1: decode targets of the stream's structure, decisions per frame number.
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
  public SvcLayerFilter(String id, long keyframeRetryNanos) {
    this.id = id;
    this.keyframeRetry = new KeyframeRetry(keyframeRetryNanos);
  }

  /** A filter asking again for a pending keyframe every 500 ms. */
  public SvcLayerFilter(String id) {
    this(id, 500_000_000L);
  }

  /**
   * Sets the layers this subscriber should receive: the highest spatial layer ({@link #NONE} to
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
          "downtrack={} svc target s{}t{} -> s{}t{} (current s{}t{} dt{})",
          id,
          targetSpatial,
          targetTemporal,
          s,
          t,
          currentSpatial,
          currentTemporal,
          currentTarget);
    }
    if (s != targetSpatial) {
      keyframeRetry.reset();
    }
    targetSpatial = s;
    targetTemporal = t;
    wantedDirty = true;
  }

  /** Stops forwarding at the next picture start. */
  public void pause() {
    setTarget(NONE, targetTemporal);
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
    int sid = d.sid();
    int tid = d.tid();
    int s;
    int t;
    boolean newest = true;
    int age = havePicture ? timestamp - pictureTs : 1;
    if (age > 0) {
      startPicture(timestamp);
      vp9PictureStart(d, timestamp);
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
        switches++;
        logSwitch("spatial up at switching point", from);
      }
      s = currentSpatial;
      t = currentTemporal;
    } else {
      newest = false;
      if (started && timestamp - startTs < 0) {
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

  /** The layers of a new VP9 picture, decided on its first packet. */
  private void vp9PictureStart(Vp9Descriptor d, int timestamp) {
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
        switches++;
        logLayers("switched", fromS, fromT);
      }
    }
  }

  /** A VP9 key picture: every layer restarts, so the target applies at once. */
  private void keyframe(int timestamp) {
    int fromS = currentSpatial;
    int fromT = currentTemporal;
    if (currentSpatial == NONE) {
      started = true;
      startTs = timestamp;
      switchPending = true;
    }
    currentSpatial = targetSpatial;
    currentTemporal = targetTemporal;
    keyframeRetry.reset();
    if (fromS != currentSpatial || fromT != currentTemporal) {
      switches++;
      logLayers(fromS == NONE ? "started at keyframe" : "switched at keyframe", fromS, fromT);
    }
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
    av1 = true;
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
      wantedTarget = DecodeTargets.choose(structure, activeTargets, targetSpatial, targetTemporal);
      wantedDirty = false;
    }
    int frame = dd.frameNumber();
    boolean newest = !havePicture || timestamp - pictureTs >= 0;
    if (!havePicture || timestamp - pictureTs > 0) {
      startPicture(timestamp);
      pictureFirstFrame = frame;
    }
    boolean forward;
    if (frames.seen(frame)) {
      forward = frames.forwarded(frame); // a later packet of a decided frame
    } else {
      if (frames.isNew(frame)) {
        av1Switch(dd, frame, newest && frame == pictureFirstFrame);
      } else if (started && (short) (frame - startFrame) < 0) {
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
            targetSpatial == NONE ? LayerDropReason.PAUSED : LayerDropReason.NOT_KEYFRAME_YET,
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

  /** Moves to the wanted decode target when this new frame allows it. */
  private void av1Switch(DependencyDescriptor dd, int frame, boolean pictureStart) {
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
        started = true;
        startFrame = frame;
        switchPending = true;
      }
      keyframeRetry.reset();
      setDecodeTarget(want, from == NONE ? "started at switch frame" : "switched at switch frame");
    } else if (pictureStart
        && from != NONE
        && (currentSpatial > targetSpatial || currentTemporal > targetTemporal)) {
      // The wanted target needs a switch frame (e.g. a keyframe): meanwhile come down as far as
      // the decode targets inside the current one allow, so a lower target is honoured at once.
      int step =
          DecodeTargets.containedStep(
              structure, activeTargets, from, targetSpatial, targetTemporal);
      if (step != NONE && step != from) {
        setDecodeTarget(step, "stepped down while waiting");
      }
    }
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
    switches++;
    if (log.isDebugEnabled()) {
      log.debug(
          "downtrack={} {} dt{} s{}t{} -> dt{} s{}t{} (target s{}t{})",
          id,
          what,
          fromDt,
          fromS,
          fromT,
          dt,
          currentSpatial,
          currentTemporal,
          targetSpatial,
          targetTemporal);
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
          id,
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

  private void startPicture(int timestamp) {
    havePrevious = havePicture;
    previousTs = pictureTs;
    previousSpatial = currentSpatial;
    previousTemporal = currentTemporal;
    havePicture = true;
    pictureTs = timestamp;
    markerSent = false;
    pictureForwarded = false;
  }

  private void pauseNow() {
    if (currentSpatial != NONE || currentTarget != NONE) {
      int fromS = currentSpatial;
      int fromT = currentTemporal;
      currentSpatial = NONE;
      currentTemporal = NONE;
      currentTarget = NONE;
      switchPending = false;
      logLayers("paused", fromS, fromT);
    }
  }

  private Decision forwarded(boolean newest) {
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

  /**
   * Whether the copy of the last packet decided {@link Decision#FORWARD} or {@link Decision#SWITCH}
   * must carry the RTP marker: the source's marker, or the end of the highest spatial layer this
   * subscriber receives in the picture.
   */
  public boolean setMarker() {
    return setMarker;
  }

  /**
   * Whether to ask the publisher for a keyframe now: while forwarding has not started, or a spatial
   * switch waits for one (temporal switches wait for switching points, which come without asking).
   * Once at once, then every retry interval. Call after a decision or on a timer.
   */
  public boolean keyframeRequest(long nowNanos) {
    if (!keyframeNeeded()) {
      return false;
    }
    if (!keyframeRetry.due(nowNanos)) {
      return false;
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "downtrack={} keyframe request for s{}t{} (current s{}t{} dt{})",
          id,
          targetSpatial,
          targetTemporal,
          currentSpatial,
          currentTemporal,
          currentTarget);
    }
    return true;
  }

  private boolean keyframeNeeded() {
    if (targetSpatial == NONE) {
      return false;
    }
    if (!av1) {
      return currentSpatial == NONE || currentSpatial < targetSpatial;
    }
    if (structure == null || currentTarget == NONE) {
      return true;
    }
    int want =
        wantedDirty
            ? DecodeTargets.choose(structure, activeTargets, targetSpatial, targetTemporal)
            : wantedTarget;
    if (want == NONE || want == currentTarget) {
      return false;
    }
    boolean contained = DecodeTargets.contains(structure, currentTarget, want);
    return !contained && structure.decodeTargetSpatialId(want) != currentSpatial;
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

  /** Highest spatial layer forwarded in the newest picture, or {@link #NONE}. */
  public int currentSpatial() {
    return currentSpatial;
  }

  /** Highest temporal layer forwarded in the newest picture, or {@link #NONE}. */
  public int currentTemporal() {
    return currentTemporal;
  }

  public int targetSpatial() {
    return targetSpatial;
  }

  public int targetTemporal() {
    return targetTemporal;
  }

  /** AV1: the decode target being forwarded, or {@link #NONE}. */
  public int currentDecodeTarget() {
    return currentTarget;
  }

  /** AV1: the decode target chosen for the target layers (as of the last packet), or NONE. */
  public int wantedDecodeTarget() {
    return wantedTarget;
  }

  /** Number of layer changes (start, switches up and down). */
  public long switches() {
    return switches;
  }

  private Decision drop(LayerDropReason reason, Decision decision) {
    drops[reason.ordinal()]++;
    if (totals != null) {
      totals.count(reason);
    }
    lastDropReason = reason;
    return decision;
  }

  private void logSwitch(String what, int fromSpatial) {
    logLayers(what, fromSpatial, currentTemporal);
  }

  private void logLayers(String what, int fromS, int fromT) {
    if (log.isDebugEnabled()) {
      log.debug(
          "downtrack={} svc {} s{}t{} -> s{}t{} (target s{}t{})",
          id,
          what,
          fromS,
          fromT,
          currentSpatial,
          currentTemporal,
          targetSpatial,
          targetTemporal);
    }
  }
}
