package eu.visio.media.ice;

import eu.visio.media.stun.StunMessage;

/**
 * Routing of a first check from an unknown address on the shared port: a connectivity check's
 * USERNAME is "receiver ufrag:sender ufrag" (RFC 8445 §7.2.2), so our ufrag is the part before the
 * colon. Only called for STUN from unvalidated sources, so the small allocation does not matter.
 */
public final class IceUfrags {
  private IceUfrags() {}

  /** The local ufrag named by a STUN message's USERNAME, or null if it is not such a message. */
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
