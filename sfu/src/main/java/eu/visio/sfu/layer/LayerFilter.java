package eu.visio.sfu.layer;

import eu.visio.sfu.layer.LayerSelector.Decision;
import org.slf4j.Logger;

/**
 * What every per-subscriber layer filter shares, whatever the codec: the target layers set by the
 * bandwidth allocator and the layers currently forwarded, the keyframe retry timer, the count of
 * layer changes, the drop counters per {@link LayerDropReason} (also counted into the worker's
 * {@link ForwardDrops}), and the debug logs of decisions. The per-packet logic is the subclasses':
 * {@link LayerSelector} for simulcast and VP8 temporal layers, the SVC filters of {@code
 * eu.visio.sfu.svc} for VP9 and AV1.
 *
 * <p>Not sealed although its subclasses are known: without a named module, a sealed class's
 * permitted subclasses must share its package, and the SVC filters live in their own.
 *
 * <p>Decisions are logged at debug with the down track id, never per packet. Not thread-safe: owned
 * by one media loop; no allocation per packet.
 */
// Counters are a primitive array indexed by reason ordinal: no boxing, no map lookup per drop.
@SuppressWarnings("EnumOrdinal")
public abstract class LayerFilter {
  /** No layer: not started, or paused. */
  public static final int NONE = -1;

  private static final int REASONS = LayerDropReason.values().length;

  private final Logger log;
  private final String id;
  private final int maxTemporal;
  private final KeyframeRetry keyframeRetry;
  private final long[] drops = new long[REASONS];
  private ForwardDrops totals;
  private LayerDropReason lastDropReason;
  private long switches;

  private int targetSpatial = NONE;
  private int targetTemporal;

  /** Highest spatial layer (or encoding) forwarded, or {@link #NONE}; moved by the subclass. */
  protected int currentSpatial = NONE;

  /** Highest temporal layer forwarded; moved by the subclass. */
  protected int currentTemporal;

  /**
   * A filter for the down track {@code id}, logging to {@code log}, asking again for a keyframe
   * every {@code keyframeRetryNanos} while a switch waits for one, for temporal layers up to {@code
   * maxTemporal} (also the initial target) and starting at temporal layer {@code initialTemporal}.
   */
  protected LayerFilter(
      String id, Logger log, long keyframeRetryNanos, int maxTemporal, int initialTemporal) {
    this.id = id;
    this.log = log;
    this.keyframeRetry = new KeyframeRetry(keyframeRetryNanos);
    this.maxTemporal = maxTemporal;
    this.targetTemporal = maxTemporal;
    this.currentTemporal = initialTemporal;
  }

  /**
   * Sets the layers this subscriber should receive: the highest spatial layer, or simulcast
   * encoding index ({@link #NONE} to pause), and the highest temporal layer (clamped to the codec's
   * range). Takes effect on the packets that allow it (see the subclass).
   */
  public final void setTarget(int spatial, int temporal) {
    int s = spatial < 0 ? NONE : spatial;
    int t = Math.clamp(temporal, 0, maxTemporal);
    if (s == targetSpatial && t == targetTemporal) {
      return;
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "downtrack={} target s{}t{} -> s{}t{} (current s{}t{})",
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
    onTargetChanged();
  }

  /** Called after {@link #setTarget} changed the target. */
  protected void onTargetChanged() {}

  /** Stops forwarding at the next frame (or picture) start. */
  public final void pause() {
    setTarget(NONE, targetTemporal);
  }

  /** Counts a drop decided by the caller (e.g. {@link LayerDropReason#STALE} from a rewriter). */
  public final void countDrop(LayerDropReason reason) {
    drops[reason.ordinal()]++;
    if (totals != null) {
      totals.count(reason);
    }
    lastDropReason = reason;
  }

  /** Also counts every drop into {@code totals} (the worker's), or stops when null. */
  public final void countInto(ForwardDrops totals) {
    this.totals = totals;
  }

  /** Packets dropped for {@code reason}. */
  public final long dropCount(LayerDropReason reason) {
    return drops[reason.ordinal()];
  }

  /** Reason of the last drop, or null before any. */
  public final LayerDropReason lastDropReason() {
    return lastDropReason;
  }

  /** Highest spatial layer (or encoding) forwarded, or {@link #NONE}. */
  public final int currentSpatial() {
    return currentSpatial;
  }

  /** Highest temporal layer forwarded ({@link #NONE} for SVC before it starts). */
  public final int currentTemporal() {
    return currentTemporal;
  }

  public final int targetSpatial() {
    return targetSpatial;
  }

  public final int targetTemporal() {
    return targetTemporal;
  }

  /**
   * Number of layer changes: starts and encoding switches for simulcast; starts and every spatial
   * or temporal switch for SVC. Pauses are not counted.
   */
  public final long switches() {
    return switches;
  }

  /** Counts {@code reason} and returns {@code decision}, for {@code return drop(...)}. */
  protected final Decision drop(LayerDropReason reason, Decision decision) {
    countDrop(reason);
    return decision;
  }

  protected final void countSwitch() {
    switches++;
  }

  /** The keyframe being waited for came, or the wait ended: the next request goes at once. */
  protected final void resetKeyframeRetry() {
    keyframeRetry.reset();
  }

  /**
   * Whether a keyframe request needed now is due by the retry timer (at once, then once per
   * interval); logs the request when it is.
   */
  protected final boolean keyframeDue(long nowNanos) {
    if (!keyframeRetry.due(nowNanos)) {
      return false;
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "downtrack={} keyframe request for s{}t{} (current s{}t{})",
          id,
          targetSpatial,
          targetTemporal,
          currentSpatial,
          currentTemporal);
    }
    return true;
  }

  /** Logs a layer change to the current layers from {@code fromS}, {@code fromT}. */
  protected final void logLayers(String what, int fromS, int fromT) {
    if (log.isDebugEnabled()) {
      log.debug(
          "downtrack={} {} s{}t{} -> s{}t{} (target s{}t{})",
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

  /** The down track id, for subclasses' own logs. */
  protected final String id() {
    return id;
  }
}
