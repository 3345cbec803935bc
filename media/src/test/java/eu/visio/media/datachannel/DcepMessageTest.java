package eu.visio.media.datachannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** DCEP (RFC 8832) byte for byte, as livekit-client opens its two channels. */
class DcepMessageTest {
  static byte[] hex(String annotated) {
    StringBuilder b = new StringBuilder();
    for (String line : annotated.split("\n")) {
      int hash = line.indexOf('#');
      b.append((hash < 0 ? line : line.substring(0, hash)).replaceAll("\\s", ""));
    }
    return HexFormat.of().parseHex(b.toString());
  }

  static final String RELIABLE =
      """
      03                   # DATA_CHANNEL_OPEN
      00                   # DATA_CHANNEL_RELIABLE (ordered)
      01 00                # priority 256 (RFC 8831 §6.4: normal)
      00 00 00 00          # reliability parameter: unused for a reliable channel
      00 09 00 00          # label of 9 bytes, empty protocol
      5f 72 65 6c 69 61 62 6c 65   # "_reliable"
      """;

  static final String LOSSY =
      """
      03                   # DATA_CHANNEL_OPEN
      81                   # PARTIAL_RELIABLE_REXMIT_UNORDERED
      01 00                # priority 256
      00 00 00 00          # no retransmission (maxRetransmits: 0)
      00 06 00 00          # label of 6 bytes, empty protocol
      5f 6c 6f 73 73 79    # "_lossy"
      """;

  @Test
  void liveKitsReliableChannel() throws Exception {
    byte[] wire = hex(RELIABLE);
    var open = (DcepMessage.Open) DcepMessage.parse(wire);
    assertThat(open.channelType()).isEqualTo(DcepMessage.ChannelType.RELIABLE);
    assertThat(open.channelType().ordered()).isTrue();
    assertThat(open.priority()).isEqualTo(256);
    assertThat(open.reliability()).isZero();
    assertThat(open.label()).isEqualTo("_reliable");
    assertThat(open.protocol()).isEmpty();
    assertThat(open.toBytes()).isEqualTo(wire);
  }

  @Test
  void liveKitsLossyChannel() throws Exception {
    byte[] wire = hex(LOSSY);
    var open = (DcepMessage.Open) DcepMessage.parse(wire);
    assertThat(open.channelType())
        .isEqualTo(DcepMessage.ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED);
    assertThat(open.channelType().ordered()).isFalse();
    assertThat(open.label()).isEqualTo("_lossy");
    assertThat(open.toBytes()).isEqualTo(wire);
  }

  @Test
  void ackIsOneByte() throws Exception {
    assertThat(DcepMessage.parse(new byte[] {0x02})).isInstanceOf(DcepMessage.Ack.class);
    assertThat(new DcepMessage.Ack().toBytes()).containsExactly(0x02);
  }

  @Test
  void malformedMessagesAreRefused() {
    record Bad(String hex, String reason) {}
    List<Bad> table =
        List.of(
            new Bad("", "empty"),
            new Bad("07", "unknown DCEP message type"),
            new Bad("03 00 01 00", "shorter than 12"),
            new Bad("03 00 01 00 00000000 0009 0000 5f72", "lengths disagree"),
            new Bad("03 7f 01 00 00000000 0000 0000", "unknown channel type"));
    for (Bad b : table) {
      assertThatThrownBy(() -> DcepMessage.parse(hex(b.hex())))
          .as(b.hex())
          .isInstanceOf(DcepParseException.class)
          .hasMessageContaining(b.reason());
    }
  }

  /** Any bytes: a DcepParseException or a message that writes back to what re-parses equal. */
  @Property(tries = 2000)
  void randomBytesOnlyThrowParseException(@ForAll @Size(max = 80) byte[] bytes) throws Exception {
    DcepMessage m;
    try {
      m = DcepMessage.parse(bytes);
    } catch (DcepParseException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(DcepMessage.parse(m.toBytes())).isEqualTo(m);
  }
}
