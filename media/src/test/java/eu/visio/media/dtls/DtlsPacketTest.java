package eu.visio.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

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
}
