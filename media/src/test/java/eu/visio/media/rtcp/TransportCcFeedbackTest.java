package eu.visio.media.rtcp;

import static eu.visio.media.rtcp.RtcpFixtures.hex;
import static eu.visio.media.rtcp.TransportCcFeedback.LARGE_DELTA;
import static eu.visio.media.rtcp.TransportCcFeedback.NOT_RECEIVED;
import static eu.visio.media.rtcp.TransportCcFeedback.SMALL_DELTA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.media.rtcp.TransportCcFeedback.Arrival;
import eu.visio.media.rtcp.TransportCcFeedback.PacketStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Transport-wide CC feedback. Byte fixtures are the shapes in pion/rtcp's
 * transport_layer_cc_test.go (Chrome captures and the draft's chunk examples), re-annotated here.
 */
class TransportCcFeedbackTest {

  private static TransportCcFeedback parse(String bytes) throws RtcpParseException {
    byte[] buf = hex(bytes);
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    it.wrap(buf, 0, buf.length);
    assertThat(it.next()).isEqualTo(RtcpHeader.RTPFB);
    assertThat(it.count()).isEqualTo(RtcpHeader.FMT_TWCC);
    return (TransportCcFeedback) it.parse();
  }

  private static String write(TransportCcFeedback fb) {
    byte[] out = new byte[fb.length()];
    assertThat(fb.write(out, 0)).isEqualTo(out.length);
    return hex(out, 0, out.length);
  }

  /** Statuses from symbol and delta (in 250 us ticks) pairs, numbered from {@code base}. */
  private static List<PacketStatus> statuses(int base, int... symbolAndTicks) {
    List<PacketStatus> out = new ArrayList<>();
    for (int i = 0; i < symbolAndTicks.length; i += 2) {
      out.add(
          new PacketStatus(
              (base + i / 2) & 0xFFFF, symbolAndTicks[i], symbolAndTicks[i + 1] * 250));
    }
    return out;
  }

  @Test
  void singleRunLengthChunk() throws Exception {
    TransportCcFeedback fb = parse(RtcpFixtures.TWCC_EXAMPLE_1);
    assertThat(fb.senderSsrc()).isEqualTo(0xfa17fa17);
    assertThat(fb.mediaSsrc()).isEqualTo(0x43032fa0);
    assertThat(fb.baseSequence()).isEqualTo(153);
    assertThat(fb.referenceTime()).isEqualTo(4057090);
    assertThat(fb.feedbackPacketCount()).isEqualTo(23);
    assertThat(fb.packets()).containsExactly(new PacketStatus(153, SMALL_DELTA, 37_000));
    assertThat(fb.arrivalTimesUs()).containsExactly(4057090L * 64_000 + 37_000);
    assertThat(write(fb)).isEqualTo(RtcpFixtures.TWCC_EXAMPLE_1);
  }

  @Test
  void runLengthOfSevenSmallDeltasWithThreePaddingBytes() throws Exception {
    String bytes =
        "afcd0007"
            + "fa17fa17"
            + "193dd8bb"
            + "0004"
            + "0007" // base 4, 7 statuses
            + "10636e"
            + "01" // reference time 1074030, fb count 1
            + "2007" // run-length: small delta x7
            + "4c242410"
            + "0c0c10" // deltas 76, 36, 36, 16, 12, 12, 16 ticks
            + "000003"; // padding, count 3
    TransportCcFeedback fb = parse(bytes);
    assertThat(fb.packets())
        .isEqualTo(statuses(4, 1, 76, 1, 36, 1, 36, 1, 16, 1, 12, 1, 12, 1, 16));
    assertThat(write(fb)).isEqualTo(bytes);
  }

  @Test
  void oneBitStatusVectorWithLosses() throws Exception {
    String bytes =
        "afcd0006"
            + "fa17fa17"
            + "193dd8bb"
            + "0001"
            + "000e" // base 1, 14 statuses
            + "10636d"
            + "00"
            + "ba00" // 1-bit vector: 1 1 1 0 1 0 0 0 0 0 0 0 0 0
            + "100c0c10" // deltas 16, 12, 12, 16 ticks
            + "0002"; // padding, count 2
    TransportCcFeedback fb = parse(bytes);
    assertThat(fb.packets())
        .isEqualTo(
            statuses(
                1, 1, 16, 1, 12, 1, 12, 0, 0, 1, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0));
    assertThat(fb.packets().get(3).received()).isFalse();
    assertThat(write(fb)).isEqualTo(bytes);
  }

  @Test
  void oneBitVectorShorterThanFourteen() throws Exception {
    String bytes =
        "afcd0007"
            + "fa17fa17"
            + "43032fa0"
            + "9c14"
            + "000c" // base 39956, 12 statuses
            + "758420"
            + "00"
            + "bec0" // 1-bit vector: 1 1 1 1 1 0 1 1 0 0 0 0 (+2 unused)
            + "c13f3b3f"
            + "53903b" // 7 small deltas
            + "000003";
    TransportCcFeedback fb = parse(bytes);
    assertThat(fb.packets()).hasSize(12);
    assertThat(fb.packets().get(5).symbol()).isEqualTo(NOT_RECEIVED);
    assertThat(fb.packets().get(6).deltaUs()).isEqualTo(0x90 * 250);
    assertThat(write(fb)).isEqualTo(bytes);
  }

  @Test
  void twoBitVectorThenRunLengthWithALargeDelta() throws Exception {
    // Chrome capture: 2-bit vector (5 small, lost, large) then a run of 48 lost clipped to 9.
    String bytes =
        "afcd0007"
            + "9b74f61f"
            + "9371dcbc"
            + "853c"
            + "0009" // base 34108, 9 statuses
            + "63f916"
            + "b3"
            + "d552" // 2-bit vector: 01 01 01 01 01 00 10
            + "0030" // run-length: not received x48 (only 2 needed)
            + "9baa6aaa7b" // 5 small deltas
            + "0109" // large delta 265 ticks
            + "01"; // padding
    TransportCcFeedback fb = parse(bytes);
    assertThat(fb.packets())
        .isEqualTo(
            statuses(34108, 1, 0x9b, 1, 0xaa, 1, 0x6a, 1, 0xaa, 1, 0x7b, 0, 0, 2, 265, 0, 0, 0, 0));
    // We re-encode the tail as a run of 2 rather than 48: same statuses.
    TransportCcFeedback back = parse(write(fb));
    assertThat(back).isEqualTo(fb);
  }

  @Test
  void largeDeltasInRunLengthChunksAndAPaddingBitWithoutPadding() throws Exception {
    // Seen from Chrome: P is set although the packet is word aligned and ends in a delta of 0.
    String bytes =
        "afcd0007"
            + "fa17fa17"
            + "193dd8bb"
            + "0174"
            + "0006"
            + "45b15a"
            + "40"
            + "4002" // run-length: large delta x2
            + "2004" // run-length: small delta x4
            + "1ffe"
            + "1f9a" // large deltas 8190 and 8090 ticks
            + "d000d000"; // small deltas 208, 0, 208, 0
    TransportCcFeedback fb = parse(bytes);
    assertThat(fb.packets()).isEqualTo(statuses(372, 2, 8190, 2, 8090, 1, 208, 1, 0, 1, 208, 1, 0));
    assertThat(fb.packets().get(0).deltaUs()).isEqualTo(2_047_500);
  }

  @Test
  void noStatuses() throws Exception {
    String bytes = "8fcd0004" + "9acb0442" + "00000000" + "00000000" + "00000000";
    TransportCcFeedback fb = parse(bytes);
    assertThat(fb.packets()).isEmpty();
    assertThat(write(fb)).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // pion example 8: three small deltas announced, one present
    "deltas truncated, afcd0005 fa17fa17 43032fa0 00990003 3de80217 20039401",
    // pion example 9: two large deltas announced, two bytes present
    "large delta truncated, afcd0005 fa17fa17 43032fa0 00990002 3de80217 40029401",
    "chunks truncated, 8fcd0004 fa17fa17 43032fa0 00990020 3de80217",
    "reserved symbol in run, 8fcd0005 fa17fa17 43032fa0 00990001 3de80217 60010000",
    // pion example 2 uses the reserved 2-bit symbol 11; the draft reserves it, we refuse it
    "reserved symbol in 2-bit vector, afcd0006 fa17fa17 193dd8bb 0174000e 45b15a40 d800f0ff d0000003",
  })
  void rejectsMalformed(String why, String bytes) {
    assertThatThrownBy(() -> parse(bytes)).as(why).isInstanceOf(RtcpParseException.class);
  }

  @Test
  void buildsFromArrivalsAcrossTheWrapWithLossAndReordering() throws Exception {
    List<Arrival> arrivals =
        List.of(
            new Arrival(65535, 1_000_500),
            new Arrival(65534, 1_000_000), // lowest sequence: defines the reference time
            new Arrival(1, 999_000), // arrived before its predecessor: negative delta
            new Arrival(2, 1_100_100), // 100.1 ms later: large delta, rounded to 250 us
            new Arrival(2, 1_200_000)); // duplicate, ignored
    TransportCcFeedback fb = TransportCcFeedback.fromArrivals(7, 9, 3, arrivals);
    assertThat(fb.baseSequence()).isEqualTo(65534);
    assertThat(fb.referenceTime()).isEqualTo(15); // 15 x 64 ms = 960 ms
    assertThat(fb.feedbackPacketCount()).isEqualTo(3);
    assertThat(fb.packets())
        .containsExactly(
            new PacketStatus(65534, SMALL_DELTA, 40_000),
            new PacketStatus(65535, SMALL_DELTA, 500),
            new PacketStatus(0, NOT_RECEIVED, 0),
            new PacketStatus(1, LARGE_DELTA, -1_500),
            new PacketStatus(2, LARGE_DELTA, 101_000));
    assertThat(fb.arrivalTimesUs())
        .containsExactly(1_000_000L, 1_000_500L, Long.MIN_VALUE, 999_000L, 1_100_000L);

    String bytes = write(fb);
    assertThat(bytes)
        .isEqualTo(
            "8fcd0006"
                + "00000007"
                + "00000009"
                + "fffe"
                + "0005" // base 65534, 5 statuses
                + "00000f"
                + "03" // reference time 15, fb count 3
                + "d4a0" // 2-bit vector: 01 01 00 10 10 (00 00 unused)
                + "a0"
                + "02"
                + "fffa"
                + "0194"); // deltas: 160, 2 small; -6, 404 large
    assertThat(parse(bytes)).isEqualTo(fb);
  }

  @Test
  void roundingErrorsDoNotAccumulate() {
    List<Arrival> arrivals = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      arrivals.add(new Arrival(i, 64_000 + i * 1_100L)); // 4.4 ticks apart
    }
    long[] times = TransportCcFeedback.fromArrivals(1, 2, 0, arrivals).arrivalTimesUs();
    for (int i = 0; i < 100; i++) {
      assertThat(Math.abs(times[i] - (64_000 + i * 1_100L))).isLessThanOrEqualTo(125);
    }
  }

  @Test
  void longRunsUseRunLengthChunks() {
    List<Arrival> arrivals = List.of(new Arrival(0, 0), new Arrival(20_000, 1_000));
    TransportCcFeedback fb = TransportCcFeedback.fromArrivals(1, 2, 0, arrivals);
    assertThat(fb.packets()).hasSize(20_001);
    // 1-bit vector (received + 13 lost) | runs of 8191, 8191 and 3604 lost | run of 1 received
    String bytes = write(fb);
    assertThat(bytes.substring(40, 60)).isEqualTo("a000" + "1fff" + "1fff" + "0e14" + "2001");
  }

  @Test
  void refusesWhatOneFeedbackCannotCarry() {
    assertThatThrownBy(
            () ->
                TransportCcFeedback.fromArrivals(
                    1, 2, 0, List.of(new Arrival(0, 0), new Arrival(1, 9_000_000))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransportCcFeedback.fromArrivals(1, 2, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PacketStatus(1, SMALL_DELTA, 256 * 250))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PacketStatus(1, SMALL_DELTA, 100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TransportCcFeedback(1, 2, 5, 0, 0, statuses(6, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
