package eu.visio.sfu.cc;

/** The over-use detector's signal (draft-ietf-rmcat-gcc-02 §5.4). */
public enum BandwidthUsage {
  NORMAL,
  /** Queuing delay is growing: we send more than the path carries. */
  OVERUSE,
  /** Queuing delay is shrinking: a queue is draining. */
  UNDERUSE
}
