package eu.visio.media.sctp;

import java.util.Arrays;

/**
 * COOKIE ECHO (RFC 9260 §3.3.11): the State Cookie of our INIT ACK, returned. We keep no state for
 * an association before it (§5.1.3): the cookie carries it, signed.
 */
public record CookieEchoChunk(byte[] cookie) implements Chunk {
  @Override
  public int type() {
    return COOKIE_ECHO;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return cookie.length;
  }

  @Override
  public void writeValue(byte[] out, int off) {
    System.arraycopy(cookie, 0, out, off, cookie.length);
  }

  static CookieEchoChunk parse(byte[] b, int off, int len) throws SctpParseException {
    Wire.need(len > 0, "COOKIE ECHO without a cookie");
    return new CookieEchoChunk(Arrays.copyOfRange(b, off, off + len));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CookieEchoChunk c && Arrays.equals(c.cookie, cookie);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cookie);
  }

  @Override
  public String toString() {
    return "COOKIE-ECHO[" + cookie.length + " bytes]";
  }
}
