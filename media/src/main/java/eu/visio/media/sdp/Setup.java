package eu.visio.media.sdp;

/** The DTLS {@code a=setup} role (RFC 4145 section 4, RFC 8842 section 5). */
public enum Setup {
  ACTIVE("active"),
  PASSIVE("passive"),
  ACTPASS("actpass"),
  HOLDCONN("holdconn");

  private final String token;

  Setup(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }

  /** The role for an attribute value, or null when unknown. */
  static Setup fromToken(String token) {
    for (Setup s : values()) {
      if (s.token.equals(token)) {
        return s;
      }
    }
    return null;
  }
}
