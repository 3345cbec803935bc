package eu.visio.signal.whip;

/** Which protocol created a session: WHIP publishes, WHEP plays. */
public enum SessionKind {
  WHIP,
  WHEP
}
