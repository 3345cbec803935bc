package eu.visio.media;

/**
 * Why a packet was dropped. Every drop on the media path is counted under one of these, never
 * logged per packet. Add a constant rather than reusing a vague one.
 */
public enum DropReason {
  /** First byte matches none of the RFC 7983 ranges. */
  UNKNOWN_PROTOCOL,
  /** Non-STUN traffic from a remote address that no ICE check has validated. */
  UNKNOWN_SOURCE,
  /** STUN that failed to parse, or a non-Binding method. */
  MALFORMED_STUN,
  /** STUN whose USERNAME names no local ufrag. */
  UNKNOWN_UFRAG,
  /** STUN whose MESSAGE-INTEGRITY or FINGERPRINT did not verify. */
  STUN_AUTH_FAILED,
  /** Packet too short or with an inconsistent header. */
  MALFORMED_RTP,
  MALFORMED_RTCP,
  /** SRTP/SRTCP authentication tag did not verify. */
  SRTP_AUTH_FAILED,
  /** SRTP/SRTCP index already seen or too old for the replay window. */
  SRTP_REPLAY,
  /** Media arrived before DTLS produced keys. */
  NO_SRTP_KEYS,
  /** DTLS record for a transport that is closed or failed. */
  DTLS_NOT_ACCEPTED,
  /**
   * DTLS datagram with a record that is cut short, of a version other than DTLS 1.0/1.2, or
   * protected yet shorter than the cipher's nonce and tag ({@code DtlsPacket.wellFormed}).
   */
  MALFORMED_DTLS,
  /** DTLS datagram larger than the transport's receive limit (no legal peer sends one). */
  DTLS_TOO_LARGE,
  /** RTP with an SSRC that no negotiated stream claims. */
  UNKNOWN_SSRC,
  /** Per-transport inbound queue full (the worker is behind). */
  QUEUE_FULL,
  /**
   * The ring that hands datagrams from the media worker whose socket received them to the worker
   * that owns their endpoint was full (the owner is behind).
   */
  HANDOFF_FULL,
  /** Datagram larger than the media MTU we accept. */
  OVERSIZED,
  /** An endpoint threw while handling the packet (a bug; logged at warn, counted here). */
  ENDPOINT_ERROR,
  /**
   * An ICE-TCP connection sent a frame longer than the media MTU we accept, or its first frame was
   * not a STUN Binding request naming a local ufrag: the connection is closed.
   */
  TCP_BAD_FRAME,
  /**
   * An ICE-TCP connection was closed because it held an incomplete frame, or sent no first frame,
   * for longer than the stall limit (a slow or stuck peer, or slowloris).
   */
  TCP_STALLED,
  /**
   * A packet for an ICE-TCP path was not sent: the connection's outbound buffer is above its high
   * watermark (the peer reads slower than we send), or the connection is gone.
   */
  TCP_SEND_FULL,
  /**
   * A TCP connection (ICE-TCP, or one on the TLS port not yet identified) was refused at once: its
   * source address already holds the most connections allowed that have not yet shown who they are
   * for (a STUN check for a known ufrag, or a protocol).
   */
  TCP_SOURCE_CAP,
  /**
   * A connection to the TLS port whose first bytes were neither a TLS ClientHello nor an RFC
   * 4571-framed STUN Binding request (ICE-TCP): closed.
   */
  PORT_UNKNOWN_PROTOCOL,
  /**
   * A TLS connection to the TLS port that carried STUN (TURN over TLS) while no handler for it is
   * installed: closed.
   */
  STUN_OVER_TLS_UNHANDLED,
}
