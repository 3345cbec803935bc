package eu.visio.media.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random and mutated input only ever yields {@link StunParseException}, and accessors are total.
 */
class StunFuzzTest {
  private static final List<byte[]> VALID =
      List.of(
          Rfc5769Vectors.REQUEST,
          Rfc5769Vectors.IPV4_RESPONSE,
          Rfc5769Vectors.IPV6_RESPONSE,
          Rfc5769Vectors.LONG_TERM_REQUEST);
  private static final byte[] KEY = StunCredentials.shortTermKey(Rfc5769Vectors.PASSWORD);

  @Property(tries = 3000)
  void randomBytes(@ForAll @Size(max = 300) byte[] bytes) {
    check(bytes, bytes.length);
  }

  /** A valid header over random attribute bytes reaches the attribute walker every time. */
  @Property(tries = 3000)
  void randomAttributesBehindAValidHeader(
      @ForAll @Size(max = 200) byte[] body, @ForAll @IntRange(min = 0, max = 3) int type) {
    int bodyLength = body.length & ~3;
    byte[] b = new byte[20 + bodyLength];
    b[1] = (byte) (type == 0 ? 0x01 : type == 1 ? 0x11 : type == 2 ? 0x01 : 0x11);
    b[0] = (byte) (type >= 2 ? 0x01 : 0x00);
    b[2] = (byte) (bodyLength >>> 8);
    b[3] = (byte) bodyLength;
    b[4] = 0x21;
    b[5] = 0x12;
    b[6] = (byte) 0xA4;
    b[7] = 0x42;
    System.arraycopy(body, 0, b, 20, bodyLength);
    check(b, b.length);
  }

  @Property(tries = 5000)
  void mutatedVectors(
      @ForAll("vector") byte[] original,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 200) Integer> positions,
      @ForAll byte value,
      @ForAll @IntRange(min = -8, max = 8) int lengthDelta) {
    byte[] b = original.clone();
    for (int p : positions) {
      b[p % b.length] ^= value == 0 ? 1 : value;
    }
    int len = Math.clamp(b.length + lengthDelta, 0, b.length);
    check(b, len);
  }

  @Provide
  Arbitrary<byte[]> vector() {
    return Arbitraries.of(VALID);
  }

  private static void check(byte[] b, int len) {
    boolean quick = StunMessage.isStun(b, 0, len);
    StunMessage m;
    try {
      m = StunMessage.parse(b, 0, len);
    } catch (StunParseException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(quick || (b[0] & 0xFF) > 3)
        .isTrue(); // parse never accepts what isStun's layout rejects
    exercise(m);
  }

  /** Every accessor on every parsed message: none may throw. */
  private static void exercise(StunMessage m) {
    m.messageClass();
    m.method();
    m.username();
    m.software();
    m.realm();
    m.nonce();
    m.priority();
    m.useCandidate();
    m.iceControlled();
    m.iceControlling();
    m.iceTieBreaker();
    m.errorCode();
    m.errorReason();
    m.xorMappedAddress();
    m.mappedAddress();
    m.address(StunAttribute.XOR_PEER_ADDRESS);
    m.verifyFingerprint();
    m.verifyMessageIntegrity(KEY);
    assertThat(m.toString()).startsWith("StunMessage{");
    for (int i = 0; i < m.attributeCount(); i++) {
      assertThat(m.attributeValueOffset(i) + m.attributeValueLength(i))
          .isLessThanOrEqualTo(m.offset() + m.length());
    }
  }
}
