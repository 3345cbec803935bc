package eu.visio.signal.livekit;

/**
 * The highest {@code DataPacket.sequence} received from one participant on its reliable channel.
 * livekit-client numbers its reliable packets from 1 for the whole session and, after a resume,
 * re-sends those past the {@code ReconnectResponse.last_message_seq} we answered with; some of them
 * may still have reached us before, so anything not above the highest seen is a replay. Sequence 0
 * (unnumbered) is always new. The number is a uint32, compared unsigned. Confined to the room's
 * worker.
 */
final class ReliableSequence {
  private int last;

  /** Whether a packet numbered {@code seq} is new; if so it becomes the highest seen. */
  boolean accept(int seq) {
    if (seq == 0) {
      return true;
    }
    if (Integer.compareUnsigned(seq, last) <= 0) {
      return false;
    }
    last = seq;
    return true;
  }

  /** The highest sequence received, 0 before any: what a resuming client is told we have. */
  int last() {
    return last;
  }
}
