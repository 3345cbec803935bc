package eu.visio.sfu.layer;

/**
 * Why a down track did not send a packet of its source, counted per reason by each {@link
 * LayerFilter} (never logged per packet). Indexed by ordinal: add constants at the end.
 */
public enum LayerDropReason {
  /** The target layer has not produced a keyframe yet, so the subscriber cannot start on it. */
  NOT_KEYFRAME_YET,
  /** A simulcast encoding this subscriber does not currently receive. */
  LAYER_NOT_SELECTED,
  /** A temporal layer above what this subscriber receives (whole frames only). */
  TEMPORAL_LAYER_DROPPED,
  /** The subscriber receives no layer at all (paused by the allocator or muted). */
  PAUSED,
  /** The payload descriptor was truncated or inconsistent. */
  MALFORMED,
  /**
   * Reordered too far, from before the current layer's start, or of a picture dropped earlier: the
   * rewriters have no slot for it.
   */
  STALE,
  /** A payload type the subscriber did not negotiate (e.g. a codec only the publisher has). */
  UNKNOWN_PAYLOAD_TYPE,
  /** An RFC 2198 RED payload that does not parse, or whose primary codec the subscriber lacks. */
  MALFORMED_RED,
}
