package eu.visio.signal.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SCTP settings of a participant's data channels, from what its DTLS records carry. */
class TransportDataTest {
  @ParameterizedTest(name = "record limit {0} -> SCTP packets of {1}")
  @CsvSource({
    // AES-GCM records in a 1200-byte datagram (13-byte header, 8-byte nonce, 16-byte tag); the
    // association keeps its packets within that though chunks are padded to 4 bytes.
    "1163, 1163",
    "1160, 1160",
    // AES-CBC with SHA-1 (DTLS 1.2): IV, MAC and padding take more.
    "1131, 1131",
    // A larger path MTU does not raise WebRTC's packet size.
    "1400, 1200",
    // Before DTLS is up (not expected: the association starts once it is).
    "0, 1200",
  })
  void packetsFitOneDtlsRecord(int recordLimit, int mtu) {
    var c = TransportData.sctpConfig(5001, recordLimit);
    assertThat(c.mtu()).isEqualTo(mtu);
    assertThat(c.localPort()).isEqualTo(5000);
    assertThat(c.remotePort()).isEqualTo(5001);
  }
}
