package eu.visio.media.net;

import eu.visio.media.stun.StunMessage;

/** The routing rule the server wires in: the local ufrag is USERNAME up to its colon. */
public final class StunUfrags {
  private StunUfrags() {}

  public static String localUfrag(byte[] buf, int off, int len) {
    StunMessage m = new StunMessage();
    if (!m.tryWrap(buf, off, len)) {
      return null;
    }
    String username = m.username();
    if (username == null) {
      return null;
    }
    int colon = username.indexOf(':');
    return colon < 0 ? username : username.substring(0, colon);
  }
}
