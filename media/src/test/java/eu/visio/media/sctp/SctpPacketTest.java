package eu.visio.media.sctp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * SCTP packets byte for byte: annotated fixtures (parse, check every field, write, compare), the
 * CRC32c of RFC 3720 Appendix B.4, and what is refused.
 */
class SctpPacketTest {
  static final HexFormat HEX = HexFormat.of();

  /** Hex with spaces and comments ("# ...") stripped, for annotated fixtures. */
  static byte[] hex(String annotated) {
    StringBuilder b = new StringBuilder();
    for (String line : annotated.split("\n")) {
      int hash = line.indexOf('#');
      b.append((hash < 0 ? line : line.substring(0, hash)).replaceAll("\\s", ""));
    }
    return HEX.parseHex(b.toString());
  }

  /** Bitwise CRC32c (Castagnoli, reflected), independent of the JDK's, to check ours. */
  static int crc32c(byte[] b) {
    int crc = 0xFFFFFFFF;
    for (byte x : b) {
      crc ^= x & 0xFF;
      for (int k = 0; k < 8; k++) {
        crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
      }
    }
    return ~crc;
  }

  /** A fixture with its checksum filled in (bytes 8-11, least significant first). */
  static byte[] sealed(byte[] packet) {
    packet[8] = packet[9] = packet[10] = packet[11] = 0;
    int crc = crc32c(packet);
    packet[8] = (byte) crc;
    packet[9] = (byte) (crc >>> 8);
    packet[10] = (byte) (crc >>> 16);
    packet[11] = (byte) (crc >>> 24);
    return packet;
  }

  @Test
  void crc32cOfRfc3720() {
    // RFC 3720 Appendix B.4: 32 bytes of zeros, of ones, incrementing, decrementing.
    byte[] zeros = new byte[32];
    byte[] ones = new byte[32];
    byte[] up = new byte[32];
    byte[] down = new byte[32];
    for (int i = 0; i < 32; i++) {
      ones[i] = (byte) 0xFF;
      up[i] = (byte) i;
      down[i] = (byte) (31 - i);
    }
    assertThat(crc32c(zeros)).isEqualTo(0x8A9136AA);
    assertThat(crc32c(ones)).isEqualTo(0x62A8AB43);
    assertThat(crc32c(up)).isEqualTo(0x46DD794E);
    assertThat(crc32c(down)).isEqualTo(0x113FDB5C);
    CRC32C jdk = new CRC32C();
    jdk.update(up);
    assertThat((int) jdk.getValue()).as("the JDK's CRC32C is Castagnoli").isEqualTo(0x46DD794E);
  }

  static final String INIT =
      """
      13 88 13 88        # source port 5000, destination port 5000
      00 00 00 00        # verification tag: 0 on a packet with INIT (RFC 9260 §8.5.1)
      00 00 00 00        # checksum (filled in)
      01 00 00 1f        # INIT, flags 0, length 31: the last parameter's padding is not counted
      3a 4b 5c 6d        # initiate tag
      00 02 00 00        # a_rwnd 131072
      00 10 00 20        # 16 outbound streams, 32 inbound
      11 22 33 44        # initial TSN
      c0 00 00 04        # Forward-TSN-Supported (RFC 3758)
      80 08 00 07        # Supported Extensions, length 7:
      82 c0 40 00        #   RE-CONFIG, FORWARD-TSN, I-DATA, padding
      """;

  @Test
  void initFixture() throws Exception {
    byte[] wire = sealed(hex(INIT));
    SctpPacket p = SctpPacket.parse(wire, 0, wire.length);
    assertThat(p.sourcePort()).isEqualTo(5000);
    assertThat(p.destinationPort()).isEqualTo(5000);
    assertThat(p.verificationTag()).isZero();
    InitChunk init = (InitChunk) p.chunks().getFirst();
    assertThat(init.ack()).isFalse();
    assertThat(init.initiateTag()).isEqualTo(0x3a4b5c6dL);
    assertThat(init.arwnd()).isEqualTo(131_072);
    assertThat(init.outboundStreams()).isEqualTo(16);
    assertThat(init.inboundStreams()).isEqualTo(32);
    assertThat(init.initialTsn()).isEqualTo(0x11223344L);
    assertThat(init.supports(Chunk.RE_CONFIG)).isTrue();
    assertThat(init.supports(Chunk.I_DATA)).isTrue();
    assertThat(init.supports(Chunk.FORWARD_TSN)).isTrue();
    assertThat(init.supports(0xc1)).as("ASCONF, not listed").isFalse();
    assertThat(p.toBytes()).isEqualTo(wire);
  }

  static final String DATA_SACK =
      """
      13 88 13 88 9a bc de f0 00 00 00 00   # header, verification tag 0x9abcdef0
      00 03 00 13        # DATA, flags U=0 B=1 E=1, length 19
      00 00 00 07        # TSN 7
      00 01 00 02        # stream 1, SSN 2
      00 00 00 33        # PPID 51 (WebRTC string)
      68 69 21 00        # "hi!", padding
      03 00 00 1c        # SACK, length 28
      00 00 00 05        # cumulative TSN ack 5
      00 01 00 00        # a_rwnd 65536
      00 02 00 01        # 2 gap blocks, 1 duplicate
      00 02 00 03        # gap: 7-8
      00 05 00 05        # gap: 10
      00 00 00 04        # duplicate TSN 4
      """;

  @Test
  void dataAndSackFixture() throws Exception {
    byte[] wire = sealed(hex(DATA_SACK));
    SctpPacket p = SctpPacket.parse(wire, 0, wire.length);
    assertThat(p.verificationTag()).isEqualTo(0x9abcdef0L);
    DataChunk d = (DataChunk) p.chunks().get(0);
    assertThat(d.beginning()).isTrue();
    assertThat(d.ending()).isTrue();
    assertThat(d.unordered()).isFalse();
    assertThat(d.tsn()).isEqualTo(7);
    assertThat(d.streamId()).isEqualTo(1);
    assertThat(d.ssn()).isEqualTo(2);
    assertThat(d.ppid()).isEqualTo(51);
    assertThat(new String(d.payload(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hi!");
    SackChunk s = (SackChunk) p.chunks().get(1);
    assertThat(s.cumulativeTsnAck()).isEqualTo(5);
    assertThat(s.arwnd()).isEqualTo(65_536);
    assertThat(s.gaps())
        .containsExactly(new SackChunk.GapBlock(2, 3), new SackChunk.GapBlock(5, 5));
    assertThat(s.duplicateTsns()).containsExactly(4L);
    assertThat(p.toBytes()).isEqualTo(wire);
  }

  static final String IDATA_RECONFIG =
      """
      13 88 13 88 00 00 00 2a 00 00 00 00   # header, verification tag 42
      40 02 00 15        # I-DATA, flags U=0 B=1 E=0 (first fragment), length 21
      00 00 00 64        # TSN 100
      00 03 00 00        # stream 3, reserved
      00 00 00 07        # MID 7
      00 00 00 35        # PPID 53 (WebRTC binary): the first fragment carries it
      ab 00 00 00        # one byte of user data, padding
      40 05 00 15        # I-DATA, flags U=1 E=1 (last fragment of an unordered message)
      00 00 00 65        # TSN 101
      00 03 00 00        # stream 3, reserved
      00 00 00 02        # MID 2 (unordered messages have their own MIDs)
      00 00 00 01        # FSN 1: later fragments carry their place instead of the PPID
      cd 00 00 00        # one byte of user data, padding
      82 00 00 20        # RE-CONFIG, length 32: two parameters
      00 10 00 0c        # Re-configuration Response, length 12
      00 00 00 09        #   answers request 9
      00 00 00 01        #   result 1: success, performed
      00 0d 00 10        # Outgoing SSN Reset Request, length 16
      00 00 00 0a 00 00 00 09 00 00 00 63   # request 10, response 9, last TSN 99 (all streams)
      """;

  @Test
  void iDataAndReconfigFixture() throws Exception {
    byte[] wire = sealed(hex(IDATA_RECONFIG));
    SctpPacket p = SctpPacket.parse(wire, 0, wire.length);
    IDataChunk first = (IDataChunk) p.chunks().get(0);
    assertThat(first.beginning()).isTrue();
    assertThat(first.ending()).isFalse();
    assertThat(first.unordered()).isFalse();
    assertThat(first.tsn()).isEqualTo(100);
    assertThat(first.streamId()).isEqualTo(3);
    assertThat(first.mid()).isEqualTo(7);
    assertThat(first.ppidOrFsn()).as("PPID").isEqualTo(53);
    assertThat(first.payload()).containsExactly(0xab);
    IDataChunk last = (IDataChunk) p.chunks().get(1);
    assertThat(last.unordered()).isTrue();
    assertThat(last.ending()).isTrue();
    assertThat(last.mid()).isEqualTo(2);
    assertThat(last.ppidOrFsn()).as("FSN").isEqualTo(1);
    assertThat(Fragment.of(last).fsn()).isEqualTo(1);
    assertThat(Fragment.of(first).ppid()).isEqualTo(53);
    ReconfigChunk r = (ReconfigChunk) p.chunks().get(2);
    assertThat(r.params())
        .containsExactly(
            new ReconfigParam.Response(9, ReconfigParam.Result.SUCCESS_PERFORMED),
            new ReconfigParam.OutgoingReset(10, 9, 99, new int[0]));
    assertThat(p.toBytes()).isEqualTo(wire);
  }

  static final String CONTROL =
      """
      13 88 13 88 00 00 00 2a 00 00 00 00   # header, verification tag 42
      04 00 00 0c        # HEARTBEAT, length 12
      00 01 00 08        # Heartbeat Info, length 8
      de ad be ef        #   info
      c0 00 00 0c        # FORWARD TSN, length 12
      00 00 00 64        # new cumulative TSN 100
      00 03 00 09        # stream 3 up to SSN 9
      c2 00 00 10        # I-FORWARD-TSN, length 16
      00 00 00 65        # new cumulative TSN 101
      00 04 00 01        # stream 4, unordered
      00 00 00 0b        # MID 11
      82 00 00 14        # RE-CONFIG, length 20
      00 0d 00 10        # Outgoing SSN Reset Request, length 16
      00 00 00 01 00 00 00 00 00 00 00 64   # request 1, response 0, last TSN 100 (all streams)
      06 01 00 04        # ABORT, T bit set, no cause
      """;

  @Test
  void controlChunksFixture() throws Exception {
    byte[] wire = sealed(hex(CONTROL));
    SctpPacket p = SctpPacket.parse(wire, 0, wire.length);
    HeartbeatChunk hb = (HeartbeatChunk) p.chunks().get(0);
    assertThat(hb.ack()).isFalse();
    assertThat(hb.params().getFirst().value()).isEqualTo(HEX.parseHex("deadbeef"));
    ForwardTsnChunk f = (ForwardTsnChunk) p.chunks().get(1);
    assertThat(f.newCumulativeTsn()).isEqualTo(100);
    assertThat(f.streams()).containsExactly(new ForwardTsnChunk.StreamSequence(3, 9));
    IForwardTsnChunk i = (IForwardTsnChunk) p.chunks().get(2);
    assertThat(i.skips()).containsExactly(new IForwardTsnChunk.Skip(4, true, 11));
    ReconfigChunk r = (ReconfigChunk) p.chunks().get(3);
    assertThat(r.params()).containsExactly(new ReconfigParam.OutgoingReset(1, 0, 100, new int[0]));
    AbortChunk a = (AbortChunk) p.chunks().get(4);
    assertThat(a.tagReflected()).isTrue();
    assertThat(a.causes()).isEmpty();
    assertThat(p.toBytes()).isEqualTo(wire);
  }

  @Test
  void unknownChunksAreKeptWithTheirActionBits() throws Exception {
    byte[] wire = sealed(hex("13 88 13 88 00 00 00 01 00 00 00 00  c5 07 00 06 ab cd 00 00"));
    UnknownChunk u = (UnknownChunk) SctpPacket.parse(wire, 0, wire.length).chunks().getFirst();
    assertThat(u.type()).isEqualTo(0xc5);
    assertThat(u.skip()).as("high bits 11: skip").isTrue();
    assertThat(u.report()).as("and report").isTrue();
    assertThat(u.value()).isEqualTo(HEX.parseHex("abcd"));
  }

  @Test
  void writtenPacketsCarryTheirChecksumLeastSignificantByteFirst() {
    SctpPacket p =
        new SctpPacket(
            5000,
            5000,
            7,
            List.of(new CookieAckChunk(), new ShutdownChunk(9), new ShutdownAckChunk()));
    byte[] wire = p.toBytes();
    byte[] zeroed = wire.clone();
    zeroed[8] = zeroed[9] = zeroed[10] = zeroed[11] = 0;
    int crc = crc32c(zeroed);
    assertThat(wire[8]).isEqualTo((byte) crc);
    assertThat(wire[11]).isEqualTo((byte) (crc >>> 24));
  }

  /** Each refusal with its reason: the codec never guesses. */
  @Test
  void malformedPacketsAreRefused() {
    record Bad(String why, String hex, String reason) {}
    List<Bad> table =
        List.of(
            new Bad("short header", "13 88 13 88 00 00", "common header"),
            new Bad("no chunk", "13 88 13 88 00 00 00 01 00 00 00 00", "without chunks"),
            new Bad("truncated chunk", "13 88 13 88 00 00 00 01 00 00 00 00 0b 00", "truncated"),
            new Bad(
                "chunk longer than the packet",
                "13 88 13 88 00 00 00 01 00 00 00 00 0b 00 00 10",
                "bad chunk length"),
            new Bad(
                "DATA without user data",
                "13 88 13 88 00 00 00 01 00 00 00 00 00 03 00 10 00000001 00010002 00000033",
                "without user data"),
            new Bad(
                "INIT with a zero tag",
                "13 88 13 88 00 00 00 00 00 00 00 00 01 00 00 14 00000000 00010000 00010001"
                    + " 00000001",
                "zero initiate tag"),
            new Bad(
                "SACK counts beyond its length",
                "13 88 13 88 00 00 00 01 00 00 00 00 03 00 00 10 00000001 00010000 00050000",
                "counts"),
            new Bad(
                "HEARTBEAT without info",
                "13 88 13 88 00 00 00 01 00 00 00 00 04 00 00 04",
                "Heartbeat Info"));
    for (Bad b : table) {
      byte[] raw = hex(b.hex());
      byte[] wire = raw.length >= SctpPacket.HEADER ? sealed(raw) : raw;
      assertThatThrownBy(() -> SctpPacket.parse(wire, 0, wire.length))
          .as(b.why())
          .isInstanceOf(SctpParseException.class)
          .hasMessageContaining(b.reason());
    }
    byte[] good = sealed(hex(INIT));
    good[20] ^= 1;
    assertThatThrownBy(() -> SctpPacket.parse(good, 0, good.length))
        .as("one bit flipped")
        .hasMessageContaining("checksum");
  }
}
