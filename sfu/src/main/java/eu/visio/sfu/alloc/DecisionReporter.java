package eu.visio.sfu.alloc;

import eu.visio.sfu.alloc.AllocatedTrack.State;
import eu.visio.sfu.alloc.StreamAllocator.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a {@link StreamAllocator}'s decision for each track and tells its {@link Listener} (and
 * the debug log) of what changed, and only that: allocations run several times a second, mostly
 * deciding what was already decided.
 */
final class DecisionReporter {
  // Logged under the allocator's name: that is the class operators know and configure.
  private static final Logger log = LoggerFactory.getLogger(StreamAllocator.class);

  private final String subscriberId;
  private final Listener listener;
  private long estimate;

  DecisionReporter(String subscriberId, Listener listener) {
    this.subscriberId = subscriberId;
    this.listener = listener == null ? new Listener() {} : listener;
  }

  /** The estimate the decisions that follow were made with, for the logs. */
  void estimate(long estimateBps) {
    estimate = estimateBps;
  }

  /** The layers of the last allocation no longer fit: the allocation starts afresh. */
  void afresh(long needBps, long budgetBps) {
    if (log.isDebugEnabled()) {
      log.debug(
          "subscriber={} layers kept would need {} bps, {} bps left for video: allocating afresh",
          subscriberId,
          needBps,
          budgetBps);
    }
  }

  /**
   * Gives track {@code handle} layer s{@code spatial}t{@code temporal} ({@link
   * StreamAllocator#NONE} for none) and {@code state}, reporting a change of either.
   */
  void apply(int handle, AllocatedTrack t, int spatial, int temporal, State state) {
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
            estimate);
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
            estimate);
      }
      listener.onStreamStateChanged(handle, t.reportedActive);
    }
  }
}
