package eu.visio.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The inner link header read from annotated bytes, and what it refuses. */
class LinkHeaderTest {
  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # what                     | kind, enc | channel | packet (first bytes)                      | kind | enc | channel
          RTP of encoding 2, ch 513   | 02        | 0201    | 80 60 0001 00000bb8 a0000003 deadbeef     | 0    | 2   | 513
          RTP of encoding 0, ch 65535 | 00        | ffff    | 90 e0 ffff 00000000 00000001 bede0000     | 0    | 0   | 65535
          sender report, ch 1         | 10        | 0001    | 80 c8 0006 a0000001 e0000000 00000000     | 1    | 0   | 1
          generic NACK, ch 7          | 20        | 0007    | 81 cd 0003 00000001 a0000001 00640003     | 2    | 0   | 7
          PLI, ch 7                   | 30        | 0007    | 81 ce 0002 00000001 a0000001              | 3    | 0   | 7
          """)
  void readsHeaders(
      String what, String kindEnc, String channel, String packet, int kind, int enc, int ch)
      throws Exception {
    byte[] b = hex("ff" + kindEnc + channel + packet); // one byte before: offsets are honoured
    LinkHeader h = new LinkHeader();
    h.wrap(b, 1, b.length - 1);
    assertThat(h.kind()).isEqualTo(kind);
    assertThat(h.encoding()).isEqualTo(enc);
    assertThat(h.channel()).isEqualTo(ch);
    assertThat(h.payloadOffset()).isEqualTo(1 + LinkHeader.LENGTH);
    assertThat(h.payloadLength()).isEqualTo(b.length - 1 - LinkHeader.LENGTH);
    byte[] written = new byte[3];
    LinkHeader.write(written, 0, kind, enc, ch);
    assertThat(written).isEqualTo(hex(kindEnc + channel));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # what                          | bytes
          shorter than a header           | 00 01
          channel 0                       | 00 0000 80 60 0001 00000bb8 a0000003
          encoding 4 (beyond 4 bits used) | 04 0001 80 60 0001 00000bb8 a0000003
          RTP shorter than 12 bytes       | 00 0001 80 60 0001 00000bb8 a00000
          RTP of version 1                | 00 0001 40 60 0001 00000bb8 a0000003
          unknown kind 4                  | 40 0001 80 60 0001 00000bb8 a0000003
          sender report kind, RR inside   | 10 0001 80 c9 0001 a0000001
          NACK kind, PLI inside           | 20 0001 81 ce 0002 00000001 a0000001
          PLI kind with an encoding       | 31 0001 81 ce 0002 00000001 a0000001
          RTCP shorter than 8 bytes       | 30 0001 81 ce 0002 0000
          """)
  void refusesMalformedHeaders(String what, String bytes) {
    byte[] b = hex(bytes);
    assertThatThrownBy(() -> new LinkHeader().wrap(b, 0, b.length))
        .isInstanceOf(LinkParseException.class);
  }
}
