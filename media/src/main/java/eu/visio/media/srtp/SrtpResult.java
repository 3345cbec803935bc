package eu.visio.media.srtp;

import eu.visio.media.DropReason;

/**
 * Negative return codes of {@link SrtpSession}'s per-packet methods. A non-negative return is a
 * packet length; anything below zero is one of these constants and the packet must be dropped. The
 * buffer content is unspecified after a failed protect, and unchanged after a failed unprotect.
 */
public final class SrtpResult {
  /** Shorter than its header plus the authentication tag (and SRTCP trailer). */
  public static final int TOO_SHORT = -1;

  /** Not RTP/RTCP version 2, or a CSRC list / header extension running past the packet. */
  public static final int MALFORMED = -2;

  /** The authentication tag did not verify (forged, corrupted, or wrong keys). */
  public static final int AUTH_FAILED = -3;

  /**
   * Index already received, or older than the replay window (RFC 3711 §3.3.2). Protect returns it
   * for an index already sent, which would reuse a keystream or GCM nonce.
   */
  public static final int REPLAYED = -4;

  /** A new SSRC arrived while the session already tracks its configured maximum. */
  public static final int TOO_MANY_SSRCS = -5;

  /** Protect only: the buffer has less tail room than the tag (and SRTCP trailer) needs. */
  public static final int NO_ROOM = -6;

  /** Protect only: the 31-bit SRTCP index is exhausted; the session must be re-keyed. */
  public static final int INDEX_EXHAUSTED = -7;

  private SrtpResult() {}

  /** A name for a code, for tests and diagnostics. */
  public static String name(int code) {
    return switch (code) {
      case TOO_SHORT -> "TOO_SHORT";
      case MALFORMED -> "MALFORMED";
      case AUTH_FAILED -> "AUTH_FAILED";
      case REPLAYED -> "REPLAYED";
      case TOO_MANY_SSRCS -> "TOO_MANY_SSRCS";
      case NO_ROOM -> "NO_ROOM";
      case INDEX_EXHAUSTED -> "INDEX_EXHAUSTED";
      default -> code >= 0 ? "OK(" + code + ")" : "UNKNOWN(" + code + ")";
    };
  }

  /** The drop counter a failed unprotect belongs to. */
  public static DropReason dropReason(int code, boolean rtcp) {
    return switch (code) {
      case AUTH_FAILED -> DropReason.SRTP_AUTH_FAILED;
      case REPLAYED -> DropReason.SRTP_REPLAY;
      case TOO_MANY_SSRCS -> DropReason.UNKNOWN_SSRC;
      default -> rtcp ? DropReason.MALFORMED_RTCP : DropReason.MALFORMED_RTP;
    };
  }
}
