package eu.visio.media.sdp;

/** The media type of an {@code m=} line (RFC 8866 section 5.14) that WebRTC uses. */
public enum MediaKind {
  AUDIO("audio"),
  VIDEO("video"),
  APPLICATION("application");

  private final String token;

  MediaKind(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }

  static MediaKind fromToken(String token) {
    for (MediaKind k : values()) {
      if (k.token.equals(token)) {
        return k;
      }
    }
    return null;
  }
}
