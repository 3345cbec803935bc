package eu.visio.media.relay;

/**
 * Why a link datagram was dropped, counted per link in {@link LinkDrops}; never logged per drop.
 */
public enum LinkDropReason {
  /** Empty, or a first byte that is neither HELLO nor DATA. */
  UNKNOWN_TYPE,
  /** A DATA datagram too short for header and tag, or larger than a link datagram may be. */
  MALFORMED_DATA,
  /** DATA before the handshake gave keys. */
  NOT_ESTABLISHED,
  /** The AEAD tag did not verify (tampered, or sealed under another key). */
  AUTH_FAILED,
  /** A sequence number already received or behind the replay window. */
  REPLAY,
  /** An authenticated datagram whose inner header is malformed ({@link LinkHeader}). */
  BAD_HEADER,
  /** A channel the receiving node does not know (not imported yet, or closed). */
  UNKNOWN_CHANNEL,
  /** The hand-off from the link's receive thread to the room's worker was full. */
  QUEUE_FULL,
  /** A HELLO that does not parse. */
  HELLO_MALFORMED,
  /** A HELLO whose MAC does not verify under the cluster secret. */
  HELLO_BAD_MAC,
  /** A HELLO more than the allowed skew away from our clock. */
  HELLO_STALE,
  /** A HELLO with a nonce the peer already replaced. */
  HELLO_REPLAYED,
  /** A HELLO naming this node or carrying our own nonce (reflected back at us). */
  HELLO_REFLECTED,
  /** A HELLO from a node other than the peer this link is for. */
  HELLO_WRONG_PEER,
  /** A packet to send while the link has no keys yet. */
  SEND_NOT_ESTABLISHED,
  /** A packet to send larger than a link datagram may carry. */
  SEND_TOO_LARGE,
  /** The socket refused or failed a send. */
  SEND_FAILED,
  /** Handling a datagram threw (a bug): counted, never thrown to the receive loop. */
  INTERNAL_ERROR,
}
