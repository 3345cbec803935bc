package eu.visio.media.ice;

/**
 * Result of {@link IceLiteAgent#handle}: the outcome and the length of the response written into
 * the caller's buffer (0 when nothing should be sent).
 */
public record IceCheckResult(IceCheckOutcome outcome, int responseLength) {
  static final IceCheckResult INDICATION = new IceCheckResult(IceCheckOutcome.INDICATION, 0);
  static final IceCheckResult MALFORMED = new IceCheckResult(IceCheckOutcome.MALFORMED, 0);
  static final IceCheckResult UNEXPECTED_RESPONSE =
      new IceCheckResult(IceCheckOutcome.UNEXPECTED_RESPONSE, 0);
  static final IceCheckResult BAD_FINGERPRINT =
      new IceCheckResult(IceCheckOutcome.BAD_FINGERPRINT, 0);

  /** Whether there is a response to send back to the source. */
  public boolean hasResponse() {
    return responseLength > 0;
  }
}
