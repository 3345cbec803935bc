package eu.visio.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DtlsPacketTest {
  /** RFC 7983 §7 ranges: the boundaries of every protocol sharing the port. */
  @ParameterizedTest(name = "first byte {0} -> {1}")
  @CsvSource({
    "0, false", // STUN
    "3, false", // STUN
    "16, false", // ZRTP
    "19, false", // ZRTP
    "20, true", // change_cipher_spec
    "21, true", // alert
    "22, true", // handshake
    "23, true", // application_data
    "63, true", // top of the DTLS range
    "64, false", // TURN channel
    "79, false", // TURN channel
    "127, false",
    "128, false", // RTP/RTCP
    "191, false",
    "255, false",
  })
  void classifiesFirstByte(int first, boolean dtls) {
    assertThat(DtlsPacket.isDtls((byte) first)).isEqualTo(dtls);
  }

  /**
   * Annotated records (RFC 6347 §4.1 header: type, version, epoch, sequence number, length) against
   * the record screen, with AES-GCM's 24-byte minimum for protected records.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // type version epoch seq          length body
    "'handshake, DTLS 1.0, epoch 0', 16 FEFF 0000 000000000000 0002 0102, true",
    "'handshake, DTLS 1.2, epoch 0', 16 FEFD 0000 000000000001 0001 01, true",
    "'empty body', 16 FEFD 0000 000000000001 0000, true",
    "'two records', 14 FEFD 0000 000000000002 0001 01 16 FEFD 0000 000000000003 0000, true",
    "'DTLS 1.3 record version', 16 FEFC 0000 000000000001 0001 01, false",
    "'undefined version FEFE', 16 FEFE 0000 000000000001 0001 01, false",
    "'TLS 1.2 version', 16 0303 0000 000000000001 0001 01, false",
    "'length past the datagram', 16 FEFD 0000 000000000001 0003 0102, false",
    "'header cut short', 16 FEFD 0000 0000000000, false",
    "'second header cut short', 16 FEFD 0000 000000000001 0000 17 FE, false",
    "'epoch 1, 24 bytes (nonce and tag)', 17 FEFD 0001 000000000001 0018"
        + " 000000000000000000000000000000000000000000000000, true",
    "'epoch 1, 23 bytes', 17 FEFD 0001 000000000001 0017"
        + " 0000000000000000000000000000000000000000000000, false",
    "'change_cipher_spec moved to epoch 1', 14 FEFD 0001 000000000001 0001 01, false",
  })
  void screensRecords(String what, String hex, boolean wellFormed) {
    byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
    assertThat(DtlsPacket.wellFormed(b, 0, b.length, DtlsPacket.MIN_AES_GCM_RECORD))
        .as(what)
        .isEqualTo(wellFormed);
    // At an offset inside a larger buffer, as the I/O loop hands it over.
    byte[] padded = new byte[b.length + 7];
    System.arraycopy(b, 0, padded, 3, b.length);
    assertThat(DtlsPacket.wellFormed(padded, 3, b.length, DtlsPacket.MIN_AES_GCM_RECORD))
        .isEqualTo(wellFormed);
  }

  @Test
  void chachaRecordsMayBeShorter() {
    // A close_notify under ChaCha20-Poly1305: 2 bytes of alert and a 16-byte tag.
    byte[] b = HexFormat.of().parseHex("15FEFD0001000000000001" + "0012" + "00".repeat(18));
    assertThat(DtlsPacket.wellFormed(b, 0, b.length, DtlsPacket.MIN_CHACHA20_POLY1305_RECORD))
        .isTrue();
    assertThat(DtlsPacket.wellFormed(b, 0, b.length, DtlsPacket.MIN_AES_GCM_RECORD)).isFalse();
  }
}
