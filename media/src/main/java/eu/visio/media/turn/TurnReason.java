package eu.visio.media.turn;

/**
 * Why the TURN server refused a request or dropped a packet. Every refusal and drop is counted
 * under one of these ({@link TurnCounters}), never logged per packet, like {@code
 * eu.visio.media.DropReason} for the media path.
 */
public enum TurnReason {
  /** Bytes that are neither well-formed STUN nor ChannelData (RFC 8656 §12.4), or a bad frame. */
  MALFORMED,
  /** A STUN message of a class or method the server does not serve (responses, Binding aside). */
  UNSUPPORTED_METHOD,
  /** A request answered 400: a required attribute missing or of the wrong size. */
  BAD_REQUEST,
  /** A request with a comprehension-required attribute we do not implement (420). */
  UNKNOWN_ATTRIBUTE,
  /** A request without MESSAGE-INTEGRITY, answered with the 401 challenge (RFC 8489 §9.2.4). */
  CHALLENGED,
  /** MESSAGE-INTEGRITY did not verify, or the USERNAME is not of the REST form (401). */
  BAD_CREDENTIALS,
  /** The USERNAME's expiry time has passed (401). */
  EXPIRED_USERNAME,
  /** A request on an allocation made with another USERNAME (441). */
  WRONG_CREDENTIALS,
  /** NONCE forged, expired or issued to another client address (438). */
  STALE_NONCE,
  /** REQUESTED-TRANSPORT other than UDP (442). */
  UNSUPPORTED_TRANSPORT,
  /** REQUESTED-ADDRESS-FAMILY other than the relay address's family (440). */
  ADDRESS_FAMILY,
  /** Allocate on a 5-tuple that already has an allocation, or a request without one (437). */
  ALLOCATION_MISMATCH,
  /** Permission, channel or Send toward a peer the {@link RelayPolicy} does not allow (403). */
  FORBIDDEN_PEER,
  /** The identity already holds its maximum number of allocations (486). */
  USER_QUOTA,
  /** The server holds its maximum number of allocations, or no relay port is free (508). */
  CAPACITY,
  /** A source address sent requests faster than its rate limit: dropped without an answer. */
  RATE_LIMITED,
  /** A source address attempted allocations faster than its rate limit: dropped. */
  ALLOCATION_RATE_LIMITED,
  /**
   * A ChannelBind with a number outside 0x4000-0x4FFF (RFC 8656 §12; 0x7FFE with the RFC 5766
   * option), or rebinding a number or peer (400).
   */
  BAD_CHANNEL,
  /** A datagram, frame or DATA larger than the configured maximum: dropped. */
  OVERSIZED,
  /** Send indication or ChannelData from a client 5-tuple with no allocation: dropped. */
  NO_ALLOCATION,
  /** ChannelData on a channel number with no live binding: dropped. */
  UNKNOWN_CHANNEL,
  /** Data from the client toward a peer without a live permission: dropped. */
  NO_PERMISSION_OUTBOUND,
  /** Data from a peer without a live permission (or outside the policy) on a relay: dropped. */
  NO_PERMISSION_INBOUND,
  /** A source address already holds its maximum number of TCP connections: closed at once. */
  TCP_CONNECTION_LIMIT,
  /** A TCP connection held a partial frame, or stayed without an allocation, too long: closed. */
  TCP_STALLED,
  /** The client's TCP connection was above its write watermark: the packet was not sent. */
  SEND_FULL,
  /** A relay socket could not be bound (no free port in the range, or an OS error): 508. */
  RELAY_BIND_FAILED,
  /** The server's own handler threw (a bug; the first is logged at warn, all are counted). */
  HANDLER_ERROR,
}
