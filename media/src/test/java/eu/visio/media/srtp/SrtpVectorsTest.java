package eu.visio.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Known-answer tests from RFC 3711 Appendix B, RFC 7714 §16/§17, and libsrtp's driver packet. */
class SrtpVectorsTest {

  // RFC 3711 Appendix B.3: key derivation.
  private static final byte[] B3_MASTER_KEY = Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
  private static final byte[] B3_MASTER_SALT = Hex.bytes("0EC675AD498AFEEBB6960B3AABE6");

  @Test
  void rfc3711B3KeyDerivation() {
    assertThat(SrtpKeyDerivation.derive(B3_MASTER_KEY, B3_MASTER_SALT, 0x00, 16))
        .isEqualTo(Hex.bytes("C61E7A93744F39EE10734AFE3FF7A087"));
    assertThat(SrtpKeyDerivation.derive(B3_MASTER_KEY, B3_MASTER_SALT, 0x02, 14))
        .isEqualTo(Hex.bytes("30CBBC08863D8C85D49DB34A9AE1"));
    // B.3 lists 94 bytes of auth-key PRF output; the first 20 are the HMAC-SHA1 key.
    assertThat(SrtpKeyDerivation.derive(B3_MASTER_KEY, B3_MASTER_SALT, 0x01, 94))
        .isEqualTo(
            Hex.bytes(
                """
                CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"""));
  }

  @Test
  void sessionKeysUseRtpAndRtcpLabels() {
    var rtp =
        SrtpKeyDerivation.sessionKeys(
            SrtpProfile.AES128_CM_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT, false);
    assertThat(rtp.encryptionKey()).isEqualTo(Hex.bytes("C61E7A93744F39EE10734AFE3FF7A087"));
    assertThat(rtp.salt()).isEqualTo(Hex.bytes("30CBBC08863D8C85D49DB34A9AE1"));
    assertThat(rtp.authKey()).isEqualTo(Hex.bytes("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
    var rtcp =
        SrtpKeyDerivation.sessionKeys(
            SrtpProfile.AES128_CM_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT, true);
    assertThat(rtcp.encryptionKey())
        .isEqualTo(SrtpKeyDerivation.derive(B3_MASTER_KEY, B3_MASTER_SALT, 0x03, 16))
        .isNotEqualTo(rtp.encryptionKey());
    assertThat(rtcp.toString()).doesNotContain("C61E").isEqualTo("SessionKeys[redacted]");
  }

  @Test
  void rfc3711B2AesCmKeystream() {
    // Session key/salt of B.2, SSRC 0, ROC 0, SEQ 0: a zero payload encrypts to the keystream.
    var keys =
        new SrtpKeyDerivation.SessionKeys(
            Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C"),
            new byte[20],
            Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
    SrtpContext out = new SrtpContext(SrtpProfile.AES128_CM_HMAC_SHA1_80, keys, keys, 4);
    byte[] packet = new byte[12 + 48 + 10];
    packet[0] = (byte) 0x80;
    assertThat(out.protectRtp(packet, 0, 60)).isEqualTo(70);
    assertThat(Hex.of(packet, 12, 48))
        .isEqualToIgnoringCase(
            "E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB"
                + "41E95B3BB0A2E8DD477901E4FCA894C0");
  }

  // libsrtp test/srtp_driver.c: AES_CM_128_HMAC_SHA1_80 with a master key, so the KDF, AES-CM and
  // HMAC-SHA1 are checked together.
  private static final String CM_PLAIN = "800f1234decafbadcafebabeabababababababababababababababab";
  private static final String CM_PROTECTED =
      "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb";

  @Test
  void libsrtpAesCmHmacPacket() {
    var material =
        new SrtpKeyingMaterial(
            SrtpProfile.AES128_CM_HMAC_SHA1_80,
            B3_MASTER_KEY,
            B3_MASTER_SALT,
            new byte[16],
            new byte[14]);
    SrtpSession client = new SrtpSession(material, true);
    SrtpSession server = new SrtpSession(material, false);
    byte[] buf = Arrays.copyOf(Hex.bytes(CM_PLAIN), 64);
    int len = client.protectRtp(buf, 0, 28);
    assertThat(Hex.of(buf, 0, len)).isEqualTo(CM_PROTECTED);
    assertThat(server.unprotectRtp(buf, 0, len)).isEqualTo(28);
    assertThat(Hex.of(buf, 0, 28)).isEqualTo(CM_PLAIN);
  }

  // RFC 7714 §16 (session key and salt given directly, no KDF).
  private static final SrtpKeyDerivation.SessionKeys GCM_KEYS =
      new SrtpKeyDerivation.SessionKeys(
          Hex.bytes("000102030405060708090a0b0c0d0e0f"),
          new byte[0],
          Hex.bytes("517569642070726f2071756f"));
  private static final String GCM_RTP_PLAIN =
      "8040f17b8041f8d35501a0b2"
          + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573";
  private static final String GCM_RTP_PROTECTED =
      "8040f17b8041f8d35501a0b2"
          + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
          + "899d7f27beb16a9152cf765ee4390cce";

  @ParameterizedTest(name = "jce={0}")
  @ValueSource(booleans = {false, true})
  void rfc7714RtpEncryptAndDecrypt(boolean jce) {
    SrtpContext out = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, GCM_KEYS, GCM_KEYS, 4, jce);
    byte[] plain = Hex.bytes(GCM_RTP_PLAIN);
    byte[] buf = Arrays.copyOf(plain, 128);
    int len = out.protectRtp(buf, 0, plain.length);
    assertThat(Hex.of(buf, 0, len)).isEqualTo(GCM_RTP_PROTECTED);

    SrtpContext in = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, GCM_KEYS, GCM_KEYS, 4, jce);
    assertThat(in.unprotectRtp(buf, 0, len)).isEqualTo(plain.length);
    assertThat(Arrays.copyOf(buf, plain.length)).isEqualTo(plain);
  }

  @ParameterizedTest(name = "jce={0}")
  @ValueSource(booleans = {false, true})
  void rfc7714TamperedPacketFailsAndStaysUntouched(boolean jce) {
    byte[] wire = Hex.bytes(GCM_RTP_PROTECTED);
    for (int i = 1; i < wire.length; i++) {
      SrtpContext in = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, GCM_KEYS, GCM_KEYS, 4, jce);
      byte[] tampered = wire.clone();
      tampered[i] ^= (byte) 0x80;
      byte[] before = tampered.clone();
      assertThat(in.unprotectRtp(tampered, 0, tampered.length))
          .as("byte %d", i)
          .isEqualTo(SrtpResult.AUTH_FAILED);
      assertThat(tampered).isEqualTo(before);
      assertThat(in.ssrcCount()).isZero();
    }
  }

  private static final String GCM_RTCP_PLAIN =
      "81c8000d4d617273"
          + "4e5450314e545032525450200000042a0000e9304c756e61"
          + "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
  private static final String GCM_RTCP_PROTECTED =
      "81c8000d4d617273"
          + "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded"
          + "0bb9275bc84aa45896cf4d2fc5abf87245d9eade"
          + "800005d4";

  @ParameterizedTest(name = "jce={0}")
  @ValueSource(booleans = {false, true})
  void rfc7714RtcpEncryptAndDecrypt(boolean jce) {
    SrtpTransform gcm = SrtpTransform.create(SrtpProfile.AEAD_AES_128_GCM, GCM_KEYS, jce);
    byte[] plain = Hex.bytes(GCM_RTCP_PLAIN);
    byte[] buf = Arrays.copyOf(plain, 128);
    int len = gcm.protectRtcp(buf, 0, plain.length, 0x4d617273, 0x5d4);
    assertThat(Hex.of(buf, 0, len)).isEqualTo(GCM_RTCP_PROTECTED);

    SrtpContext in = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, GCM_KEYS, GCM_KEYS, 4, jce);
    assertThat(in.unprotectRtcp(buf, 0, len)).isEqualTo(plain.length);
    assertThat(Arrays.copyOf(buf, plain.length)).isEqualTo(plain);
    // The same packet again is a replay.
    byte[] again = Hex.bytes(GCM_RTCP_PROTECTED);
    assertThat(in.unprotectRtcp(again, 0, again.length)).isEqualTo(SrtpResult.REPLAYED);
  }
}
