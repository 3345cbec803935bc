package eu.visio.sfu;

import eu.visio.media.DropCounters;
import eu.visio.sfu.layer.ForwardDrops;

/**
 * What the rooms of one media worker share: drop counters (the transport's, and the down tracks'
 * totals, written by this worker only) and the send buffer every packet is rewritten in before
 * encryption. One per worker thread; never used from another.
 *
 * @param drops packets dropped on input, by reason (thread-safe, shared with the transport)
 * @param forwardDrops packets down tracks did not send, by reason (this worker's only)
 * @param scratch the send buffer: a datagram plus room for the SRTP tag
 */
public record WorkerContext(DropCounters drops, ForwardDrops forwardDrops, byte[] scratch) {
  /** Send buffer size: the largest datagram plus the SRTP/SRTCP trailer. */
  public static final int SCRATCH_SIZE = 1500 + 64;

  public static WorkerContext create(DropCounters drops) {
    return new WorkerContext(drops, new ForwardDrops(), new byte[SCRATCH_SIZE]);
  }
}
