package eu.visio.media.stun;

/**
 * STUN method numbers (IANA "STUN Methods" registry). Kept as {@code int} constants rather than an
 * enum because a parser must carry methods it does not know.
 */
public final class StunMethod {
  /** RFC 8489 §18.2. The only method ICE uses. */
  public static final int BINDING = 0x001;

  /** RFC 8656 §17 (TURN), listed for later use. */
  public static final int ALLOCATE = 0x003;

  public static final int REFRESH = 0x004;
  public static final int SEND = 0x006;
  public static final int DATA = 0x007;
  public static final int CREATE_PERMISSION = 0x008;
  public static final int CHANNEL_BIND = 0x009;

  /** Largest value that fits the 12 method bits. */
  public static final int MAX = 0xFFF;

  private StunMethod() {}

  /**
   * Interleaves method and class into the 14-bit message type (RFC 8489 §5, figure 3): method bits
   * M0-M3, then C0, M4-M6, C1, M7-M11.
   */
  public static int messageType(StunClass cls, int method) {
    if (method < 0 || method > MAX) {
      throw new IllegalArgumentException("method out of range: " + method);
    }
    int c = cls.bits();
    return (method & 0x000F)
        | ((method & 0x0070) << 1)
        | ((method & 0x0F80) << 2)
        | ((c & 1) << 4)
        | ((c & 2) << 7);
  }

  /** The method encoded in a 14-bit message type. */
  public static int methodOf(int messageType) {
    return (messageType & 0x000F) | ((messageType >> 1) & 0x0070) | ((messageType >> 2) & 0x0F80);
  }

  /** The class encoded in a 14-bit message type. */
  public static StunClass classOf(int messageType) {
    return StunClass.fromBits(((messageType >> 4) & 1) | ((messageType >> 7) & 2));
  }
}
