package eu.visio.media.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class StunWriterTest {
  private static final byte[] TX = Hex.bytes("b7e7a701bc34d686fa87dfae");

  /**
   * RFC 5769 §2.4 pads with zeros, so the writer must reproduce it byte for byte: this checks the
   * writer's layout, its MESSAGE-INTEGRITY length adjustment and the long-term key together.
   */
  @Test
  void reproducesRfc5769LongTermRequestExactly() throws Exception {
    byte[] expected = Rfc5769Vectors.LONG_TERM_REQUEST;
    StunMessage parsed = StunMessage.parse(expected, 0, expected.length);
    byte[] key =
        StunCredentials.longTermKey(
            parsed.username(), parsed.realm(), Rfc5769Vectors.LONG_TERM_PASSWORD);

    byte[] out = new byte[200];
    int n =
        new StunWriter()
            .start(
                out,
                0,
                out.length,
                parsed.messageClass(),
                parsed.method(),
                expected,
                parsed.transactionIdOffset())
            .addText(StunAttribute.USERNAME, parsed.username())
            .addText(StunAttribute.NONCE, parsed.nonce())
            .addText(StunAttribute.REALM, parsed.realm())
            .addMessageIntegrity(new StunIntegrity(key))
            .finish();

    assertThat(Arrays.copyOf(out, n)).isEqualTo(expected);
  }

  /** An annotated ICE check request: every byte but the two trailers is fixed by the RFCs. */
  private static final byte[] ICE_REQUEST_BODY =
      Hex.bytes(
          """
          0001 0028                   # Binding request, 40 bytes of attributes (before trailers)
          2112a442                    # magic cookie
          b7e7a701 bc34d686 fa87dfae  # transaction id
          0006 0009 65767 46a3a 68367 659 000000   # USERNAME "evtj:h6vY" + 3 zero pad bytes
          0024 0004 6e0001ff          # PRIORITY
          0025 0000                   # USE-CANDIDATE
          802a 0008 0102030405060708  # ICE-CONTROLLING tie-breaker
          """);

  @Test
  void annotatedRequestRoundTrips() throws Exception {
    byte[] out = new byte[1500];
    StunIntegrity integrity = StunIntegrity.shortTerm(Rfc5769Vectors.PASSWORD);
    int n =
        new StunWriter()
            .start(out, 0, out.length, StunClass.REQUEST, StunMethod.BINDING, TX, 0)
            .addText(StunAttribute.USERNAME, "evtj:h6vY")
            .addUint32(StunAttribute.PRIORITY, 0x6e0001ffL)
            .addFlag(StunAttribute.USE_CANDIDATE)
            .addUint64(StunAttribute.ICE_CONTROLLING, 0x0102030405060708L)
            .addMessageIntegrity(integrity)
            .addFingerprint()
            .finish();

    int body = ICE_REQUEST_BODY.length;
    assertThat(n).isEqualTo(body + 24 + 8);
    // Header length covers both trailers; everything else matches the fixture.
    assertThat(out[3] & 0xFF).isEqualTo(0x28 + 32);
    assertThat(Arrays.copyOfRange(out, 4, body))
        .isEqualTo(Arrays.copyOfRange(ICE_REQUEST_BODY, 4, body));
    assertThat(Arrays.copyOfRange(out, body, body + 4)).isEqualTo(Hex.bytes("0008 0014"));
    assertThat(Arrays.copyOfRange(out, body + 24, body + 28)).isEqualTo(Hex.bytes("8028 0004"));

    // FINGERPRINT independently: CRC-32 of all bytes before it, xor "STUN".
    CRC32 crc = new CRC32();
    crc.update(out, 0, body + 24);
    int fp = (int) crc.getValue() ^ 0x5354554e;
    assertThat(StunMessage.u32(out, body + 28)).isEqualTo(fp);

    StunMessage m = StunMessage.parse(out, 0, n);
    assertThat(m.username()).isEqualTo("evtj:h6vY");
    assertThat(m.priority()).isEqualTo(0x6e0001ffL);
    assertThat(m.useCandidate()).isTrue();
    assertThat(m.iceControlling()).isTrue();
    assertThat(m.iceTieBreaker()).isEqualTo(0x0102030405060708L);
    assertThat(m.verifyFingerprint()).isTrue();
    assertThat(m.verifyMessageIntegrity(integrity)).isTrue();
    assertThat(m.transactionIdEquals(TX, 0)).isTrue();
  }

  @Test
  void responsesCarryXorAddressesAndErrorCodes() throws Exception {
    byte[] req = Rfc5769Vectors.REQUEST;
    StunMessage request = StunMessage.parse(req, 0, req.length);
    StunIntegrity integrity = StunIntegrity.shortTerm(Rfc5769Vectors.PASSWORD);
    StunWriter w = new StunWriter();
    byte[] out = new byte[300];

    for (String ip : new String[] {"192.0.2.1", "2001:db8:1234:5678:11:2233:4455:6677"}) {
      InetAddress address = InetAddress.ofLiteral(ip);
      int n =
          w.startResponse(out, 7, 250, StunClass.SUCCESS_RESPONSE, request)
              .addText(StunAttribute.SOFTWARE, "test vector")
              .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, address, 32853)
              .addMessageIntegrity(integrity)
              .addFingerprint()
              .finish();
      StunMessage m = StunMessage.parse(out, 7, n);
      assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
      assertThat(m.xorMappedAddress()).isEqualTo(new InetSocketAddress(address, 32853));
      assertThat(m.verifyMessageIntegrity(integrity)).isTrue();
      assertThat(m.verifyFingerprint()).isTrue();
      assertThat(m.transactionIdEquals(req, 8)).isTrue();
    }
    // The IPv4 XOR-MAPPED-ADDRESS value matches RFC 5769 §2.2 byte for byte.
    int n =
        w.startResponse(out, 0, 300, StunClass.SUCCESS_RESPONSE, request)
            .addXorAddress(
                StunAttribute.XOR_MAPPED_ADDRESS, InetAddress.ofLiteral("192.0.2.1"), 32853)
            .finish();
    assertThat(Arrays.copyOfRange(out, 20, n)).isEqualTo(Hex.bytes("0020 0008 0001a147 e112a643"));

    n =
        w.startResponse(out, 0, 300, StunClass.ERROR_RESPONSE, request)
            .addErrorCode(StunErrorCode.ROLE_CONFLICT)
            .addMappedAddress(InetAddress.ofLiteral("10.1.2.3"), 4000)
            .addFingerprint()
            .finish();
    StunMessage err = StunMessage.parse(out, 0, n);
    assertThat(err.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
    assertThat(err.errorCode()).isEqualTo(487);
    assertThat(err.errorReason()).isEqualTo("Role Conflict");
    assertThat(err.mappedAddress())
        .isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("10.1.2.3"), 4000));
    assertThat(Arrays.copyOfRange(out, 20, 44))
        .isEqualTo(Hex.bytes("0009 0011 0000 0457 526f6c6520436f6e666c696374 000000"));
  }

  @Test
  void misuseIsRejected() {
    StunWriter w = new StunWriter();
    byte[] small = new byte[24];
    w.start(small, 0, 24, StunClass.REQUEST, StunMethod.BINDING, TX, 0);
    assertThatThrownBy(() -> w.addUint32(StunAttribute.PRIORITY, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> w.start(small, 10, 20, StunClass.REQUEST, StunMethod.BINDING, TX, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);

    byte[] big = new byte[100];
    w.start(big, 0, 100, StunClass.REQUEST, StunMethod.BINDING, TX, 0).addFingerprint();
    assertThatThrownBy(() -> w.addFlag(StunAttribute.USE_CANDIDATE))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> w.addErrorCode(200, "OK"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StunIntegrity(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
