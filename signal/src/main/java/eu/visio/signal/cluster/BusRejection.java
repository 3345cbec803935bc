package eu.visio.signal.cluster;

/** Why the bus dropped an incoming frame (each counted; none is ever thrown). */
public enum BusRejection {
  /** Larger than {@link BusFrame#MAX_FRAME}: refused before anything is read. */
  OVERSIZE,
  /** Too short for a MAC, or its fields do not add up to its length. */
  MALFORMED,
  /** The HMAC does not match: not from a node that has the cluster secret, or altered. */
  BAD_MAC,
  /** Addressed to another node (a frame copied onto our channel). */
  WRONG_RECIPIENT,
  /** Its timestamp is more than 30 s from our clock. */
  STALE_TIMESTAMP,
  /** From an earlier boot of a sender we have heard from since it restarted. */
  STALE_BOOT,
  /** Its sequence number is not above the last one accepted from that sender's boot. */
  REPLAYED,
  /** A type no handler is registered for. */
  UNKNOWN_TYPE,
  /** The dispatch queue was full (handlers too slow): dropped on Lettuce's thread. */
  QUEUE_FULL,
  /** The handler threw; logged. */
  HANDLER_FAILED
}
