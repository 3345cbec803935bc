package eu.visio.media.stun;

/**
 * STUN attribute types (IANA "STUN Attributes" registry). Types below 0x8000 are
 * comprehension-required, the rest comprehension-optional (RFC 8489 §14).
 */
public final class StunAttribute {
  /** RFC 8489 §14.1. Kept for RFC 3489 servers; ICE uses XOR-MAPPED-ADDRESS. */
  public static final int MAPPED_ADDRESS = 0x0001;

  /** RFC 8489 §14.3. */
  public static final int USERNAME = 0x0006;

  /** RFC 8489 §14.5. HMAC-SHA1, 20 bytes. */
  public static final int MESSAGE_INTEGRITY = 0x0008;

  /** RFC 8489 §14.8. */
  public static final int ERROR_CODE = 0x0009;

  /** RFC 8489 §14.13. */
  public static final int UNKNOWN_ATTRIBUTES = 0x000A;

  /** RFC 8656 §18 (TURN). */
  public static final int CHANNEL_NUMBER = 0x000C;

  public static final int LIFETIME = 0x000D;
  public static final int XOR_PEER_ADDRESS = 0x0012;
  public static final int DATA = 0x0013;

  /** RFC 8489 §14.9. */
  public static final int REALM = 0x0014;

  /** RFC 8489 §14.10. */
  public static final int NONCE = 0x0015;

  /** RFC 8656 §18 (TURN). */
  public static final int XOR_RELAYED_ADDRESS = 0x0016;

  public static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
  public static final int EVEN_PORT = 0x0018;
  public static final int REQUESTED_TRANSPORT = 0x0019;
  public static final int DONT_FRAGMENT = 0x001A;
  public static final int RESERVATION_TOKEN = 0x0022;

  /** RFC 8489 §14.6. HMAC-SHA256, 16 to 32 bytes. */
  public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;

  /** RFC 8489 §14.2. */
  public static final int XOR_MAPPED_ADDRESS = 0x0020;

  /** RFC 8445 §16.1. */
  public static final int PRIORITY = 0x0024;

  /** RFC 8445 §16.1. No value. */
  public static final int USE_CANDIDATE = 0x0025;

  /** RFC 8656 §18 (TURN): comprehension-optional. */
  public static final int ADDITIONAL_ADDRESS_FAMILY = 0x8000;

  public static final int ADDRESS_ERROR_CODE = 0x8001;

  /** RFC 8489 §14.14. */
  public static final int SOFTWARE = 0x8022;

  /** RFC 8489 §14.7. CRC-32 of the message xor 0x5354554e. */
  public static final int FINGERPRINT = 0x8028;

  /** RFC 8445 §16.1. 64-bit tie-breaker. */
  public static final int ICE_CONTROLLED = 0x8029;

  /** RFC 8445 §16.1. 64-bit tie-breaker. */
  public static final int ICE_CONTROLLING = 0x802A;

  private StunAttribute() {}

  /** Whether an agent that does not understand {@code type} must reject the message. */
  public static boolean isComprehensionRequired(int type) {
    return type < 0x8000;
  }
}
