package eu.visio.signal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The frame format and every rejection, without Redis. */
class BusVerifierTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochMilli(NOW));

  /**
   * A frame from "a" to "b": type 0x0102, boot 5, timestamp 1,700,000,000,000 ms, sequence 7,
   * payload "hi". The MAC is HMAC-SHA256 under the test secret, computed apart from this code.
   */
  private static final byte[] FIXTURE =
      HexFormat.of()
          .parseHex(
              String.join(
                  "",
                  "01", //                 version
                  "0102", //               type
                  "01",
                  "61", //           sender: 1 byte, "a"
                  "01",
                  "62", //           recipient: 1 byte, "b"
                  "0000000000000005", //   boot
                  "0000018bcfe56800", //   timestamp (ms)
                  "0000000000000007", //   sequence
                  "00000002",
                  "6869", //   payload: 2 bytes, "hi"
                  "9664d0e0a7ee6f05de2ef537725a826a5d3c9bf58e559117097741ca701e247b")); // HMAC-SHA256

  private static BusVerifier verifier(String self) {
    return new BusVerifier(TestNodes.SECRET, self, CLOCK, type -> type == 0x0102);
  }

  private static byte[] frame(
      String sender, String recipient, long boot, long timestamp, long sequence, int type) {
    return BusFrame.encode(
        TestNodes.SECRET.newMac(),
        type,
        sender,
        recipient,
        boot,
        timestamp,
        sequence,
        "hi".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void encodesTheDocumentedLayout() {
    assertThat(frame("a", "b", 5, NOW, 7, 0x0102)).isEqualTo(FIXTURE);
  }

  @Test
  void acceptsTheFixtureWithItsFields() {
    BusVerifier.Verdict v = verifier("b").verify(FIXTURE);
    assertThat(v)
        .isInstanceOfSatisfying(
            BusVerifier.Accepted.class,
            a -> {
              BusMessage m = a.message();
              assertThat(m.sender()).isEqualTo("a");
              assertThat(m.senderBoot()).isEqualTo(5);
              assertThat(m.timestamp()).isEqualTo(NOW);
              assertThat(m.sequence()).isEqualTo(7);
              assertThat(m.type()).isEqualTo(0x0102);
              assertThat(m.payload()).asString(StandardCharsets.UTF_8).isEqualTo("hi");
            });
  }

  @Test
  void rejectsEachFaultForItsReason() {
    byte[] otherSecret =
        BusFrame.encode(
            ClusterSecret.of("another-cluster-secret-of-32-bytes!!").newMac(),
            0x0102,
            "a",
            "b",
            5,
            NOW,
            7,
            new byte[0]);
    byte[] flipped = FIXTURE.clone();
    flipped[30] ^= 1;
    assertThat(reason(verifier("b"), new byte[BusFrame.MAX_FRAME + 1]))
        .isEqualTo(BusRejection.OVERSIZE);
    assertThat(reason(verifier("b"), new byte[31])).isEqualTo(BusRejection.MALFORMED);
    assertThat(reason(verifier("b"), otherSecret)).isEqualTo(BusRejection.BAD_MAC);
    assertThat(reason(verifier("b"), flipped)).isEqualTo(BusRejection.BAD_MAC);
    assertThat(reason(verifier("c"), FIXTURE)).isEqualTo(BusRejection.WRONG_RECIPIENT);
    assertThat(reason(verifier("b"), frame("a", "b", 5, NOW - 30_001, 7, 0x0102)))
        .isEqualTo(BusRejection.STALE_TIMESTAMP);
    assertThat(reason(verifier("b"), frame("a", "b", 5, NOW + 30_001, 7, 0x0102)))
        .isEqualTo(BusRejection.STALE_TIMESTAMP);
    assertThat(reason(verifier("b"), frame("a", "b", 5, NOW, 7, 0x0103)))
        .isEqualTo(BusRejection.UNKNOWN_TYPE);
    // Authentic but not a frame: a wrong version, a payload length that overruns.
    assertThat(
            reason(
                verifier("b"),
                signed(
                    "020102016101620000000000000005" + "0000018bcfe56800000000000000000700000000")))
        .isEqualTo(BusRejection.MALFORMED);
    assertThat(
            reason(
                verifier("b"),
                signed(
                    "010102016101620000000000000005" + "0000018bcfe56800000000000000000700000009")))
        .isEqualTo(BusRejection.MALFORMED);
  }

  @Test
  void acceptsWithin30SecondsOfOurClock() {
    BusVerifier v = verifier("b");
    assertThat(v.verify(frame("a", "b", 5, NOW - 30_000, 1, 0x0102)))
        .isInstanceOf(BusVerifier.Accepted.class);
    assertThat(v.verify(frame("a", "b", 5, NOW + 30_000, 2, 0x0102)))
        .isInstanceOf(BusVerifier.Accepted.class);
  }

  @Test
  void rejectsReplaysAndEarlierBoots() {
    BusVerifier v = verifier("b");
    assertThat(v.verify(FIXTURE)).isInstanceOf(BusVerifier.Accepted.class);
    assertThat(reason(v, FIXTURE)).isEqualTo(BusRejection.REPLAYED);
    assertThat(reason(v, frame("a", "b", 5, NOW, 6, 0x0102))).isEqualTo(BusRejection.REPLAYED);
    assertThat(v.verify(frame("a", "*", 5, NOW, 8, 0x0102)))
        .isInstanceOf(BusVerifier.Accepted.class); // broadcasts share the sequence
    // The sender restarted: a new boot starts a new sequence, and the old boot is dead.
    assertThat(v.verify(frame("a", "b", 6, NOW, 1, 0x0102)))
        .isInstanceOf(BusVerifier.Accepted.class);
    assertThat(reason(v, frame("a", "b", 5, NOW, 9, 0x0102))).isEqualTo(BusRejection.STALE_BOOT);
    // Each sender has its own sequence.
    assertThat(v.verify(frame("c", "b", 1, NOW, 1, 0x0102)))
        .isInstanceOf(BusVerifier.Accepted.class);
  }

  @Test
  void aRejectedFrameDoesNotMoveTheSequence() {
    BusVerifier v = verifier("b");
    byte[] forged = FIXTURE.clone();
    forged[forged.length - 1] ^= 1;
    assertThat(reason(v, forged)).isEqualTo(BusRejection.BAD_MAC);
    assertThat(v.verify(FIXTURE)).isInstanceOf(BusVerifier.Accepted.class);
  }

  @Property(tries = 2000)
  void randomBytesAreOnlyEverRejected(@ForAll @Size(max = 600) byte[] bytes) {
    assertThat(verifier("b").verify(bytes)).isInstanceOf(BusVerifier.Rejected.class);
  }

  @Property(tries = 500)
  void anyTruncationOrBitFlipOfAFrameIsRejected(
      @ForAll @IntRange(min = 0, max = 68) int position, @ForAll("mutations") int mutation) {
    byte[] bad =
        mutation == 0
            ? Arrays.copyOf(FIXTURE, position) // truncated
            : flip(FIXTURE, position, mutation);
    BusVerifier.Verdict v = verifier("b").verify(bad);
    assertThat(v)
        .isInstanceOfSatisfying(
            BusVerifier.Rejected.class,
            r -> assertThat(r.reason()).isIn(BusRejection.MALFORMED, BusRejection.BAD_MAC));
  }

  @Provide
  Arbitrary<Integer> mutations() {
    return Arbitraries.integers().between(0, 255);
  }

  private static byte[] flip(byte[] frame, int position, int mask) {
    byte[] copy = frame.clone();
    copy[position] ^= (byte) mask;
    return copy;
  }

  private static byte[] signed(String bodyHex) {
    byte[] body = HexFormat.of().parseHex(bodyHex);
    byte[] mac = TestNodes.SECRET.newMac().doFinal(body);
    byte[] frame = Arrays.copyOf(body, body.length + mac.length);
    System.arraycopy(mac, 0, frame, body.length, mac.length);
    return frame;
  }

  private static BusRejection reason(BusVerifier verifier, byte[] frame) {
    return ((BusVerifier.Rejected) verifier.verify(frame)).reason();
  }
}
