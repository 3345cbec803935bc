package eu.visio.loadtest.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The bot's TURN client without a server: ChannelData framing and its first requests, as bytes. */
class TurnChannelFramingTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final InetSocketAddress PEER =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

  private final List<byte[]> sent = new ArrayList<>();
  private String failure;

  // --- Framing fixtures ---

  static Stream<Arguments> datagrams() {
    return Stream.of(
        // channel 0x4000, length 4, payload de ad be ef
        Arguments.of("4000 0004 deadbeef", 4),
        // length 3 and a byte of padding (optional over UDP, RFC 8656 §12.5): still 3
        Arguments.of("4000 0003 deadbe00", 3),
        // empty payload
        Arguments.of("4000 0000", 0),
        // length 5 but only 4 bytes follow: truncated
        Arguments.of("4000 0005 deadbeef", -1),
        // channel 0x4001: not ours
        Arguments.of("4001 0004 deadbeef", -1),
        // a STUN Binding success response header: not ChannelData
        Arguments.of("0101 0000 2112a442 000000000000000000000000", -1),
        // shorter than a header
        Arguments.of("4000 00", -1));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("datagrams")
  void readsTheChannelDataHeader(String hex, int payload) {
    byte[] b = bytes(hex);
    assertThat(TurnChannel.payloadLength(b, b.length, TurnChannel.CHANNEL)).isEqualTo(payload);
  }

  @Test
  void wrapsWithAHeaderAndNoPadding() {
    TurnChannel ch = channel();
    ByteBuffer tx = ByteBuffer.allocate(64);
    ch.wrap(tx, bytes("deadbeef01"), 5);
    tx.flip();
    byte[] out = new byte[tx.remaining()];
    tx.get(out);
    // channel 0x4000, length 5, the payload; no padding to 8 (optional over UDP)
    assertThat(HEX.formatHex(out)).isEqualTo("4000" + "0005" + "deadbeef01");
  }

  @Test
  void unwrapsInPlace() {
    TurnChannel ch = channel();
    byte[] b = bytes("4000 0002 aabb");
    assertThat(ch.onDatagram(b, b.length, 0)).isEqualTo(2);
    assertThat(HEX.formatHex(b, 0, 2)).isEqualTo("aabb");
  }

  @Property
  void anyDatagramIsReadWithoutThrowing(@ForAll byte[] b) {
    int n = TurnChannel.payloadLength(b, b.length, TurnChannel.CHANNEL);
    assertThat(n).isBetween(-1, Math.max(-1, b.length - TurnChannel.HEADER));
  }

  @Test
  void firstAllocateIsUnauthenticatedAndAsksForUdp() {
    TurnChannel ch = channel();
    ch.tick(0);
    assertThat(sent).hasSize(1);
    String hex = HEX.formatHex(sent.getFirst());
    // Allocate request, 16 bytes of attributes, the magic cookie
    assertThat(hex.substring(0, 16)).isEqualTo("0003" + "0010" + "2112a442");
    // (12-byte transaction id), REQUESTED-TRANSPORT 4 bytes: UDP (17) and three RFFU bytes,
    // then FINGERPRINT (its CRC follows)
    assertThat(hex.substring(40)).startsWith("0019" + "0004" + "11000000" + "8028" + "0004");
  }

  @Test
  void givesUpOnAServerThatNeverAnswers() {
    TurnChannel ch = channel();
    long now = 0;
    for (int i = 0; i < 100 && ch.failure() == null; i++) {
      now = ch.tick(now);
    }
    assertThat(failure).contains("ALLOCATE unanswered");
    assertThat(sent)
        .hasSize(25)
        .allSatisfy(b -> assertThat(Arrays.equals(b, sent.get(0))).isTrue());
  }

  private TurnChannel channel() {
    return new TurnChannel(
        new TurnRoute(PEER, "1800000000:bot", "p"),
        PEER,
        (b, len) -> sent.add(Arrays.copyOf(b, len)),
        r -> failure = r);
  }

  private static byte[] bytes(String hex) {
    return HEX.parseHex(hex.replace(" ", ""));
  }
}
