package eu.visio.media.srtp;

/** Test-only access to package-private session state, for the benchmark package. */
public final class SrtpTestHooks {
  private SrtpTestHooks() {}

  /** Forgets the inbound per-SSRC state so a recorded packet sequence can be replayed. */
  public static void resetInbound(SrtpSession session) {
    session.inbound().forgetSsrcs();
  }
}
