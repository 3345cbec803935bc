package eu.visio.media.sdp;

/** Media direction attributes (RFC 8866 section 6.7). Absent means {@link #SENDRECV}. */
public enum Direction {
  SENDRECV("sendrecv", true, true),
  SENDONLY("sendonly", true, false),
  RECVONLY("recvonly", false, true),
  INACTIVE("inactive", false, false);

  private final String token;
  private final boolean sends;
  private final boolean receives;

  Direction(String token, boolean sends, boolean receives) {
    this.token = token;
    this.sends = sends;
    this.receives = receives;
  }

  /** The attribute name, e.g. {@code "sendonly"}. */
  public String token() {
    return token;
  }

  public boolean sends() {
    return sends;
  }

  public boolean receives() {
    return receives;
  }

  /** The direction with the given send and receive capabilities. */
  public static Direction of(boolean sends, boolean receives) {
    if (sends) {
      return receives ? SENDRECV : SENDONLY;
    }
    return receives ? RECVONLY : INACTIVE;
  }

  /** The same stream seen from the other side: sendonly becomes recvonly (RFC 3264 section 6.1). */
  public Direction reverse() {
    return of(receives, sends);
  }

  /** The direction for an attribute name, or null when the name is not a direction. */
  public static Direction fromToken(String token) {
    for (Direction d : values()) {
      if (d.token.equals(token)) {
        return d;
      }
    }
    return null;
  }
}
