package eu.visio.media.sctp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The State Cookie of our INIT ACK (RFC 9260 §5.1.3): everything the association needs, signed with
 * HMAC-SHA256 under a secret only we know, so that an INIT creates no state here: state comes with
 * a COOKIE ECHO that proves the peer received our INIT ACK.
 *
 * @param peerTag the peer's initiate tag (our verification tag towards it)
 * @param localTag our initiate tag
 * @param peerInitialTsn the peer's first TSN
 * @param localInitialTsn our first TSN
 * @param peerArwnd the peer's receive window
 * @param outboundStreams streams we send on (the smaller of both sides' wishes)
 * @param inboundStreams streams we receive on
 * @param createdMillis when we made it, for its lifetime
 * @param peerFeatures the extensions the peer announced
 */
record StateCookie(
    long peerTag,
    long localTag,
    long peerInitialTsn,
    long localInitialTsn,
    long peerArwnd,
    int outboundStreams,
    int inboundStreams,
    long createdMillis,
    PeerFeatures peerFeatures) {
  static final int BODY = 40;
  static final int MAC = 32;
  static final int LENGTH = BODY + MAC;

  /** RFC 9260 §15: a cookie is valid for 60 seconds. */
  static final long LIFETIME_MILLIS = 60_000;

  byte[] seal(byte[] secret) {
    byte[] b = new byte[LENGTH];
    Wire.put32(b, 0, peerTag);
    Wire.put32(b, 4, localTag);
    Wire.put32(b, 8, peerInitialTsn);
    Wire.put32(b, 12, localInitialTsn);
    Wire.put32(b, 16, peerArwnd);
    Wire.put16(b, 20, outboundStreams);
    Wire.put16(b, 22, inboundStreams);
    Wire.put32(b, 24, createdMillis >>> 32);
    Wire.put32(b, 28, createdMillis);
    b[32] = (byte) peerFeatures.bits();
    System.arraycopy(mac(secret, b), 0, b, BODY, MAC);
    return b;
  }

  /** The cookie in {@code b} if our secret signed it and it is still fresh; otherwise why not. */
  static StateCookie open(byte[] b, byte[] secret, long nowMillis) throws SctpParseException {
    Wire.need(b.length == LENGTH, "cookie of the wrong length");
    byte[] expected = mac(secret, b);
    byte[] got = java.util.Arrays.copyOfRange(b, BODY, LENGTH);
    Wire.need(MessageDigest.isEqual(expected, got), "cookie not signed by us");
    long created = (Wire.u32(b, 24) << 32) | Wire.u32(b, 28);
    Wire.need(nowMillis - created <= LIFETIME_MILLIS && created <= nowMillis, "stale cookie");
    return new StateCookie(
        Wire.u32(b, 0),
        Wire.u32(b, 4),
        Wire.u32(b, 8),
        Wire.u32(b, 12),
        Wire.u32(b, 16),
        Wire.u16(b, 20),
        Wire.u16(b, 22),
        created,
        PeerFeatures.ofBits(b[32]));
  }

  private static byte[] mac(byte[] secret, byte[] b) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(secret, "HmacSHA256"));
      m.update(b, 0, BODY);
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is always there", e);
    }
  }
}
