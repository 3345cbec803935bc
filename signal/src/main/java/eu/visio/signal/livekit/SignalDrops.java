package eu.visio.signal.livekit;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Client signalling messages we did not act on, by reason, over every connection: what the metrics
 * show instead of log lines a misbehaving client could flood.
 */
public final class SignalDrops {
  /** Why a message was dropped. */
  public enum Reason {
    /** Not a {@code SignalRequest} (binary or JSON), or larger than the codec allows. */
    MALFORMED,
    /** A message type newer than ours (an empty oneof to us): ignored, as LiveKit does. */
    UNKNOWN_TYPE,
    /** A known type this server does not act on (yet). */
    UNHANDLED,
    /** Over the connection's message rate. */
    FLOOD,
    /** A data packet from a participant whose token does not grant canPublishData. */
    DATA_NOT_ALLOWED,
    /**
     * A data message over the max-message-size agreed in SDP (RFC 8841): larger than ours when
     * received, or than the receiver's when relayed.
     */
    DATA_TOO_LARGE,
    /**
     * A data packet for a receiver too slow to take it: too much already waits on its association
     * (lossy packets past 256 KiB, any past 16 MiB). Nobody else waits for it.
     */
    DATA_BACKLOGGED,
    /** An SCTP packet dropped: malformed, a bad checksum, the wrong tag or ports. */
    SCTP_DROPPED
  }

  private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

  public SignalDrops() {
    for (Reason r : Reason.values()) {
      counts.put(r, new LongAdder());
    }
  }

  public void count(Reason reason) {
    counts.get(reason).increment();
  }

  public long get(Reason reason) {
    return counts.get(reason).sum();
  }
}
