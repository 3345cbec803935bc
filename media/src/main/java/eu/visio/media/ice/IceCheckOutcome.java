package eu.visio.media.ice;

import eu.visio.media.DropReason;
import eu.visio.media.stun.StunErrorCode;

/**
 * What {@link IceLiteAgent} did with one incoming STUN message, in the order the checks run (RFC
 * 8445 §7.3, RFC 8489 §6.3 and §9.1.3). Outcomes with an {@link #errorCode()} had an error response
 * written; outcomes with a {@link #dropReason()} should be counted as drops.
 */
public enum IceCheckOutcome {
  /** Valid check: success response written, the source is a valid path. */
  SUCCESS(0, null),
  /** Valid check with USE-CANDIDATE: as {@link #SUCCESS}, and the source is now selected. */
  NOMINATED(0, null),
  /** A Binding indication (keepalive, RFC 8445 §11): nothing to answer. */
  INDICATION(0, null),
  /** Not parseable as STUN: no response. */
  MALFORMED(0, DropReason.MALFORMED_STUN),
  /** A response: a lite agent sends no requests (RFC 8445 §2.5), so none is expected. */
  UNEXPECTED_RESPONSE(0, DropReason.MALFORMED_STUN),
  /** Request for a method other than Binding. */
  NOT_BINDING(StunErrorCode.BAD_REQUEST, DropReason.MALFORMED_STUN),
  /** ICE requires FINGERPRINT on every check (RFC 8445 §7.1). */
  NO_FINGERPRINT(StunErrorCode.BAD_REQUEST, DropReason.MALFORMED_STUN),
  /** FINGERPRINT present but wrong: not trustworthy STUN (RFC 8489 §7.3), dropped silently. */
  BAD_FINGERPRINT(0, DropReason.STUN_AUTH_FAILED),
  /** RFC 8489 §9.1.3: a request without USERNAME gets 400. */
  NO_USERNAME(StunErrorCode.BAD_REQUEST, DropReason.MALFORMED_STUN),
  /** RFC 8489 §9.1.3: a request without MESSAGE-INTEGRITY gets 400. */
  NO_INTEGRITY(StunErrorCode.BAD_REQUEST, DropReason.MALFORMED_STUN),
  /** USERNAME is not "localUfrag:remoteUfrag" for the current (or pre-restart) credentials. */
  UNKNOWN_USERNAME(StunErrorCode.UNAUTHENTICATED, DropReason.UNKNOWN_UFRAG),
  /** MESSAGE-INTEGRITY does not verify with the local password. */
  BAD_INTEGRITY(StunErrorCode.UNAUTHENTICATED, DropReason.STUN_AUTH_FAILED),
  /** Authenticated but without PRIORITY (RFC 8445 §7.1.1 makes it mandatory). */
  NO_PRIORITY(StunErrorCode.BAD_REQUEST, DropReason.MALFORMED_STUN),
  /** The peer claims ICE-CONTROLLED, but a lite agent is always controlled (RFC 8445 §7.3.1.1). */
  ROLE_CONFLICT(StunErrorCode.ROLE_CONFLICT, null);

  private final int errorCode;
  private final DropReason dropReason;

  IceCheckOutcome(int errorCode, DropReason dropReason) {
    this.errorCode = errorCode;
    this.dropReason = dropReason;
  }

  /** STUN error code of the response written, or 0 for none. */
  public int errorCode() {
    return errorCode;
  }

  /** Drop counter to bump, or null when the message was acceptable. */
  public DropReason dropReason() {
    return dropReason;
  }

  /** Whether the check validated its source path. */
  public boolean isValid() {
    return this == SUCCESS || this == NOMINATED;
  }
}
