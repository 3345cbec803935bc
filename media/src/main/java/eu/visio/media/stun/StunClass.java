package eu.visio.media.stun;

/** The two class bits C1 C0 of the STUN message type (RFC 8489 §5). */
public enum StunClass {
  REQUEST(0b00),
  INDICATION(0b01),
  SUCCESS_RESPONSE(0b10),
  ERROR_RESPONSE(0b11);

  private static final StunClass[] BY_BITS = values();

  private final int bits;

  StunClass(int bits) {
    this.bits = bits;
  }

  /** The value of C1 C0 as a two-bit number. */
  public int bits() {
    return bits;
  }

  /** The class whose C1 C0 bits are {@code bits & 3}. */
  public static StunClass fromBits(int bits) {
    return BY_BITS[bits & 3];
  }
}
