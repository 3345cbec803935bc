package eu.visio.media.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StunMessageTest {
  private static final byte[] SHORT_TERM_KEY =
      StunCredentials.shortTermKey(Rfc5769Vectors.PASSWORD);

  @Test
  void rfc5769SampleRequest() throws Exception {
    byte[] b = Rfc5769Vectors.REQUEST;
    StunMessage m = StunMessage.parse(b, 0, b.length);

    assertThat(StunMessage.isStun(b, 0, b.length)).isTrue();
    assertThat(m.messageClass()).isEqualTo(StunClass.REQUEST);
    assertThat(m.method()).isEqualTo(StunMethod.BINDING);
    assertThat(m.length()).isEqualTo(108);
    assertThat(Arrays.copyOfRange(b, m.transactionIdOffset(), m.transactionIdOffset() + 12))
        .isEqualTo(HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae"));
    assertThat(m.software()).isEqualTo("STUN test client");
    assertThat(m.priority()).isEqualTo(0x6e0001ffL);
    assertThat(m.iceControlled()).isTrue();
    assertThat(m.iceControlling()).isFalse();
    assertThat(m.iceTieBreaker()).isEqualTo(0x932ff9b151263b36L);
    assertThat(m.username()).isEqualTo("evtj:h6vY");
    assertThat(m.useCandidate()).isFalse();
    assertThat(m.attributeCount()).isEqualTo(6);
    assertThat(m.verifyFingerprint()).isTrue();
    assertThat(m.verifyMessageIntegrity(SHORT_TERM_KEY)).isTrue();
    assertThat(m.verifyMessageIntegrity("wrong-password".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
  }

  @Test
  void rfc5769Ipv4Response() throws Exception {
    byte[] b = Rfc5769Vectors.IPV4_RESPONSE;
    StunMessage m = StunMessage.parse(b, 0, b.length);

    assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(m.method()).isEqualTo(StunMethod.BINDING);
    assertThat(m.software()).isEqualTo("test vector");
    assertThat(m.xorMappedAddress())
        .isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.1"), 32853));
    assertThat(m.verifyFingerprint()).isTrue();
    assertThat(m.verifyMessageIntegrity(SHORT_TERM_KEY)).isTrue();
  }

  @Test
  void rfc5769Ipv6Response() throws Exception {
    byte[] b = Rfc5769Vectors.IPV6_RESPONSE;
    StunMessage m = StunMessage.parse(b, 0, b.length);

    assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(m.software()).isEqualTo("test vector");
    assertThat(m.xorMappedAddress())
        .isEqualTo(
            new InetSocketAddress(
                InetAddress.ofLiteral("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
    assertThat(m.verifyFingerprint()).isTrue();
    assertThat(m.verifyMessageIntegrity(SHORT_TERM_KEY)).isTrue();
  }

  @Test
  void rfc5769LongTermRequest() throws Exception {
    byte[] b = Rfc5769Vectors.LONG_TERM_REQUEST;
    StunMessage m = StunMessage.parse(b, 0, b.length);

    assertThat(m.messageClass()).isEqualTo(StunClass.REQUEST);
    assertThat(m.username()).isEqualTo(Rfc5769Vectors.LONG_TERM_USERNAME);
    assertThat(m.nonce()).isEqualTo(Rfc5769Vectors.LONG_TERM_NONCE);
    assertThat(m.realm()).isEqualTo(Rfc5769Vectors.LONG_TERM_REALM);
    assertThat(m.hasFingerprint()).isFalse();
    assertThat(m.verifyFingerprint()).isFalse();
    byte[] key =
        StunCredentials.longTermKey(
            Rfc5769Vectors.LONG_TERM_USERNAME,
            Rfc5769Vectors.LONG_TERM_REALM,
            Rfc5769Vectors.LONG_TERM_PASSWORD);
    assertThat(m.verifyMessageIntegrity(key)).isTrue();
    // The raw (un-prepared) password must not work: SASLprep is what makes the vector pass.
    assertThat(
            m.verifyMessageIntegrity(
                md5(
                    Rfc5769Vectors.LONG_TERM_USERNAME
                        + ":example.org:"
                        + Rfc5769Vectors.LONG_TERM_PASSWORD)))
        .isFalse();
  }

  @Test
  void saslPrepMapsTheRfc5769Password() {
    assertThat(StunCredentials.prepare(Rfc5769Vectors.LONG_TERM_PASSWORD)).isEqualTo("TheMatrIX");
    assertThat(StunCredentials.prepare("a\u00A0b")).isEqualTo("a b");
  }

  @Test
  void longTermKeyIsMd5OfPreparedTriple() throws Exception {
    assertThat(StunCredentials.longTermKey("user", "realm", "pass"))
        .isEqualTo(md5("user:realm:pass"));
  }

  @Test
  void parsesAtAnOffsetInsideALargerBuffer() throws Exception {
    byte[] v = Rfc5769Vectors.REQUEST;
    byte[] b = new byte[v.length + 37];
    Arrays.fill(b, (byte) 0x7F);
    System.arraycopy(v, 0, b, 13, v.length);
    StunMessage m = StunMessage.parse(b, 13, v.length);
    assertThat(m.username()).isEqualTo("evtj:h6vY");
    assertThat(m.verifyFingerprint()).isTrue();
    assertThat(m.verifyMessageIntegrity(SHORT_TERM_KEY)).isTrue();
    assertThat(StunMessage.isStun(b, 13, v.length)).isTrue();
    assertThat(StunMessage.isStun(b, 12, v.length)).isFalse();
  }

  @Test
  void tamperedBytesFailIntegrityAndFingerprint() throws Exception {
    byte[] b = Rfc5769Vectors.REQUEST.clone();
    b[36] ^= 1; // inside the USERNAME/PRIORITY region covered by both
    StunMessage m = StunMessage.parse(b, 0, b.length);
    assertThat(m.verifyFingerprint()).isFalse();
    assertThat(m.verifyMessageIntegrity(SHORT_TERM_KEY)).isFalse();
  }

  @Test
  void attributesAfterIntegrityAreIgnoredAndAfterFingerprintRejected() throws Exception {
    // §2.2 response with an extra SOFTWARE after MESSAGE-INTEGRITY (FINGERPRINT dropped):
    byte[] v = Rfc5769Vectors.IPV4_RESPONSE;
    int miEnd = v.length - 8;
    byte[] extra = Hex.bytes("8022 0004 41424344");
    byte[] b = new byte[miEnd + extra.length];
    System.arraycopy(v, 0, b, 0, miEnd);
    System.arraycopy(extra, 0, b, miEnd, extra.length);
    b[3] = (byte) (b.length - 20);
    StunMessage m = StunMessage.parse(b, 0, b.length);
    assertThat(m.attributeCount()).isEqualTo(3);
    assertThat(m.software()).isEqualTo("test vector");
    // Integrity still verifies: the length used for HMAC stops at MESSAGE-INTEGRITY.
    assertThat(m.verifyMessageIntegrity(SHORT_TERM_KEY)).isTrue();

    byte[] after = new byte[v.length + extra.length];
    System.arraycopy(v, 0, after, 0, v.length);
    System.arraycopy(extra, 0, after, v.length, extra.length);
    after[3] = (byte) (after.length - 20);
    assertThatThrownBy(() -> StunMessage.parse(after, 0, after.length))
        .isInstanceOf(StunParseException.class)
        .hasMessageContaining("after FINGERPRINT");
  }

  @Test
  void unknownAttributesAreKeptWithPadding() throws Exception {
    byte[] b =
        Hex.bytes(
            """
            0011 0010                  # Binding indication, 16 bytes of attributes
            2112a442 000102030405060708090a0b
            c057 0003 aabbcc 00        # unknown comprehension-optional, 3 bytes + 1 pad
            7777 0000                  # unknown comprehension-required, empty
            0025 0000                  # USE-CANDIDATE
            """);
    StunMessage m = StunMessage.parse(b, 0, b.length);
    assertThat(m.messageClass()).isEqualTo(StunClass.INDICATION);
    assertThat(m.attributeCount()).isEqualTo(3);
    assertThat(m.attributeType(0)).isEqualTo(0xC057);
    assertThat(m.attributeValueOffset(0)).isEqualTo(24);
    assertThat(m.attributeValueLength(0)).isEqualTo(3);
    assertThat(m.attributeType(1)).isEqualTo(0x7777);
    assertThat(m.useCandidate()).isTrue();
    assertThat(m.valueEquals(0xC057, Hex.bytes("aabbcc"), 0, 3)).isTrue();
    assertThat(m.hasMessageIntegrity()).isFalse();
    assertThat(m.verifyMessageIntegrity(SHORT_TERM_KEY)).isFalse();
    assertThat(m.priority()).isEqualTo(-1);
    assertThat(m.errorCode()).isEqualTo(-1);
    assertThat(m.xorMappedAddress()).isNull();
  }

  @Test
  void manyAttributesGrowTheIndex() throws Exception {
    int n = 40;
    byte[] b = new byte[20 + 4 * n];
    System.arraycopy(Hex.bytes("0001 00a0 2112a442 000000000000000000000000"), 0, b, 0, 20);
    for (int i = 0; i < n; i++) {
      b[20 + 4 * i] = (byte) 0xC0;
      b[21 + 4 * i] = (byte) i;
    }
    StunMessage m = StunMessage.parse(b, 0, b.length);
    assertThat(m.attributeCount()).isEqualTo(n);
    assertThat(m.attributeType(n - 1)).isEqualTo(0xC000 + n - 1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "shorter than header,        0001 0000 2112a442 0000000000000000000000",
    "top bits not zero,          4001 0000 2112a442 000000000000000000000000",
    "no magic cookie,            0001 0000 2112a443 000000000000000000000000",
    "length not a multiple of 4, 0001 0002 2112a442 000000000000000000000000 0000",
    "length does not match,      0001 0008 2112a442 000000000000000000000000",
    "attribute overruns message, 0001 0004 2112a442 000000000000000000000000 8022 0004",
    "attribute overruns message, 0001 0008 2112a442 000000000000000000000000 8022 0005 41424344",
    "bad PRIORITY length,        0001 0008 2112a442 000000000000000000000000 0024 0002 0001 0000",
    "bad USE-CANDIDATE length,   0001 0008 2112a442 000000000000000000000000 0025 0004 00000000",
    "bad ICE role length,        0001 0008 2112a442 000000000000000000000000 8029 0004 00000000",
    "bad FINGERPRINT length,     0001 0008 2112a442 000000000000000000000000 8028 0002 00000000",
    "bad MESSAGE-INTEGRITY length, 0001 0008 2112a442 000000000000000000000000 0008 0004 00000000",
    "bad address attribute,      0001 000c 2112a442 000000000000000000000000 0020 0008 0003 0000 00000000",
    "bad address attribute,      0001 000c 2112a442 000000000000000000000000 0020 0008 0002 0000 00000000",
    "bad ERROR-CODE,             0111 0008 2112a442 000000000000000000000000 0009 0004 0000 0200",
    "bad ERROR-CODE,             0111 0008 2112a442 000000000000000000000000 0009 0004 0000 0464",
  })
  void rejectsMalformed(String reason, String hex) {
    byte[] b = Hex.bytes(hex);
    assertThatThrownBy(() -> StunMessage.parse(b, 0, b.length))
        .isInstanceOf(StunParseException.class)
        .hasMessageStartingWith(reason.substring(0, 12));
    StunMessage view = new StunMessage();
    assertThat(view.tryWrap(b, 0, b.length)).isFalse();
    assertThat(view.error()).startsWith(reason.substring(0, 12));
    assertThat(view.attributeCount()).isZero();
  }

  @Test
  void tooLongUsernameIsRejected() {
    byte[] b = new byte[20 + 4 + 516];
    System.arraycopy(
        Hex.bytes("0001 0208 2112a442 000000000000000000000000 0006 0204"), 0, b, 0, 24);
    assertThatThrownBy(() -> StunMessage.parse(b, 0, b.length))
        .isInstanceOf(StunParseException.class)
        .hasMessage("USERNAME too long");
  }

  @Test
  void isStunQuickCheck() {
    byte[] v = Rfc5769Vectors.REQUEST;
    assertThat(StunMessage.isStun(v, 0, 19)).isFalse();
    assertThat(StunMessage.isStun(v, 0, v.length)).isTrue();
    assertThat(StunMessage.isStun(null, 0, 0)).isFalse();
    assertThat(StunMessage.isStun(v, 100, 20)).isFalse();
    byte[] rtp = v.clone();
    rtp[0] = (byte) 0x80; // RTP version 2
    assertThat(StunMessage.isStun(rtp, 0, rtp.length)).isFalse();
    byte[] dtls = v.clone();
    dtls[0] = 22; // DTLS handshake
    assertThat(StunMessage.isStun(dtls, 0, dtls.length)).isFalse();
    byte[] noCookie = v.clone();
    noCookie[4] = 0;
    assertThat(StunMessage.isStun(noCookie, 0, noCookie.length)).isFalse();
  }

  @Test
  void methodAndClassInterleaving() {
    assertThat(StunMethod.messageType(StunClass.REQUEST, StunMethod.BINDING)).isEqualTo(0x0001);
    assertThat(StunMethod.messageType(StunClass.INDICATION, StunMethod.BINDING)).isEqualTo(0x0011);
    assertThat(StunMethod.messageType(StunClass.SUCCESS_RESPONSE, StunMethod.BINDING))
        .isEqualTo(0x0101);
    assertThat(StunMethod.messageType(StunClass.ERROR_RESPONSE, StunMethod.BINDING))
        .isEqualTo(0x0111);
    assertThat(StunMethod.messageType(StunClass.SUCCESS_RESPONSE, StunMethod.ALLOCATE))
        .isEqualTo(0x0103);
    for (int method = 0; method <= StunMethod.MAX; method++) {
      for (StunClass c : StunClass.values()) {
        int type = StunMethod.messageType(c, method);
        assertThat(StunMethod.methodOf(type)).isEqualTo(method);
        assertThat(StunMethod.classOf(type)).isEqualTo(c);
        assertThat(type & ~0x3FFF).isZero();
      }
    }
  }

  @Test
  void toStringShowsNoValues() throws Exception {
    byte[] b = Rfc5769Vectors.REQUEST;
    assertThat(StunMessage.parse(b, 0, b.length).toString())
        .contains("REQUEST")
        .doesNotContain("evtj");
  }

  static byte[] md5(String s) throws Exception {
    return java.security.MessageDigest.getInstance("MD5")
        .digest(s.getBytes(StandardCharsets.UTF_8));
  }
}
