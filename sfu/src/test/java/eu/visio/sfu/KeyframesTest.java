package eu.visio.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keyframe detection per payload format. Every fixture is read at an offset inside a larger array
 * whose surrounding bytes vary, so a read outside {@code [off, off+len)} changes the answer and
 * fails the case. Several fixtures are chosen so that skipping a descriptor field by the wrong
 * length lands on a byte that gives the opposite answer.
 */
class KeyframesTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // ---- VP8 (RFC 7741 §4.2): X|R|N|S|R|PID, then I|L|T|K|RSV, then the payload header,
        // whose bit 0 is P (0 = key frame).
        c("VP8", "10 | 500100 9d012a", true, "S=1 PID=0, no X; frame tag P=0, start code"),
        c("VP8", "10 | 31", false, "S=1 PID=0; header P=1: delta frame"),
        c("VP8", "00 | 50", false, "S=0: continuation of the frame"),
        c("VP8", "11 | 50", false, "S=1 but partition 1"),
        c("VP8", "30 | 50", true, "N=1 (non-reference) does not matter"),
        c("VP8", "90 80 | 05 | 00", true, "X, I: 7-bit picture id 5"),
        c("VP8", "90 80 | 05 | 01", false, "X, I: 7-bit picture id; P=1"),
        c("VP8", "90 80 | 8100 | 01", false, "X, I: 15-bit picture id 0x100 (M=1); P=1"),
        c("VP8", "90 80 | 8101 | 00", true, "X, I: 15-bit picture id 0x101; P=0"),
        c("VP8", "90 40 | 01 | 00", true, "X, L: TL0PICIDX 1, then P=0"),
        c("VP8", "90 20 | 41 | 00", true, "X, T: TID=1 KEYIDX=1, then P=0"),
        c("VP8", "90 10 | 41 | 00", true, "X, K only: the TID/KEYIDX byte is still present"),
        c("VP8", "90 f0 | 8001 | 03 | 21 | 00", true, "X, I(15)+L+T+K"),
        c("VP8", "90 f0 | 8001 | 03 | 21 | 01", false, "X, I(15)+L+T+K; P=1"),
        c("VP8", "80 80 | 05 | 00", false, "X but S=0"),
        c("VP8", "91 00 | 00", false, "X, S=1 but partition 1"),
        c("VP8", "10", false, "truncated: no payload header"),
        c("VP8", "90", false, "truncated: X without its byte"),
        c("VP8", "90 80", false, "truncated: I without picture id"),
        c("VP8", "90 80 | 81", false, "truncated: 15-bit picture id cut in half"),
        c("VP8", "90 80 | 8101", false, "truncated: no payload header after picture id"),
        c("VP8", "90 f0 | 8001 | 03", false, "truncated: TID/KEYIDX byte missing"),
        c("vp8", "10 | 500100 9d012a", true, "codec name is case-insensitive"),
        // ---- H.264 (RFC 6184 §5.3): F|NRI|type.
        c("H264", "65 | 8884", true, "IDR slice (type 5)"),
        c("H264", "67 | 42c01f", true, "SPS (type 7)"),
        c("H264", "68 | ce3c80", false, "PPS (type 8)"),
        c("H264", "41 | 9a", false, "non-IDR slice (type 1)"),
        c("H264", "06 | 05", false, "SEI (type 6)"),
        c("H264", "78 | 0004 6742c01f | 0004 68ce3c80", true, "STAP-A: SPS first"),
        c("H264", "78 | 0004 68ce3c80 | 0004 6742c01f", true, "STAP-A: SPS second"),
        c("H264", "78 | 0002 419a | 0002 0605", false, "STAP-A: non-IDR and SEI"),
        c("H264", "78 | 00ff 41", false, "STAP-A: NAL size past the end"),
        c("H264", "78 | 00", false, "STAP-A: truncated size"),
        c("H264", "7c | 85 | 88", true, "FU-A: S=1, type 5 (start of IDR)"),
        c("H264", "7c | 05 | 88", false, "FU-A: S=0, type 5 (middle of IDR)"),
        c("H264", "7c | 45 | 88", false, "FU-A: E=1, type 5 (end of IDR)"),
        c("H264", "7c | 81 | 9a", false, "FU-A: S=1, type 1 (start of non-IDR)"),
        c("H264", "7c", false, "FU-A: truncated FU header"),
        // ---- VP9 (RFC 9628 §4.2): I|P|L|F|B|E|V|Z; layer byte TID(3)|U|SID(3)|D.
        c("VP9", "88 | 12", true, "I, B, not predicted, no layer indices"),
        c("VP9", "c8 | 12", false, "P=1: inter-picture predicted"),
        c("VP9", "80 | 12", false, "B=0: not the first packet of the frame"),
        c("VP9", "a8 | 12 | 00 | 05", true, "L: SID=0"),
        c("VP9", "a8 | 12 | 02 | 05", false, "L: SID=1 (an upper spatial layer)"),
        c("VP9", "a8 | 8002 | 00 | 05", true, "L: 15-bit picture id, SID=0"),
        c("VP9", "b8 | 12 | 00", true, "flexible mode, SID=0"),
        c("VP9", "b8 | 12 | 04", false, "flexible mode, SID=2"),
        c("VP9", "28 | 00", true, "L, no picture id, SID=0"),
        c("VP9", "a8", false, "truncated: picture id missing"),
        c("VP9", "a8 | 80", false, "truncated: 15-bit picture id cut in half"),
        c("VP9", "a8 | 12", false, "truncated: layer byte missing"),
        // ---- AV1 (AV1 RTP §4.4): Z|Y|W W|N|-|-|-.
        c("AV1", "18 | 0a0b", true, "N=1: new coded video sequence"),
        c("AV1", "10 | 0a0b", false, "N=0"),
        c("AV1", "88", true, "Z=1, N=1"),
        c("AV1", "f0", false, "Z, Y, W=3, N=0"),
        // ---- anything else
        c("opus", "10 | 500100 9d012a", false, "audio codecs have no keyframes"));
  }

  private static Arguments c(String codec, String hex, boolean key, String what) {
    return Arguments.of(codec, hex, key, what);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}: {3}")
  @MethodSource("cases")
  void recognisesKeyframes(String codec, String hex, boolean key, String what) {
    byte[] payload = RtpBuilder.hex(hex);
    for (int filler : new int[] {0x00, 0xFF, 0x85, 0x08, 0x10}) {
      byte[] b = new byte[3 + payload.length + 3];
      Arrays.fill(b, (byte) filler);
      System.arraycopy(payload, 0, b, 3, payload.length);
      assertThat(Keyframes.isKeyframe(codec, b, 3, payload.length))
          .as("%s with surrounding bytes %02x", what, filler)
          .isEqualTo(key);
    }
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void emptyPayloadIsNoKeyframe(String codec) {
    assertThat(Keyframes.isKeyframe(codec, new byte[] {0x10, 0x00}, 1, 0)).isFalse();
  }

  static Stream<String> codecs() {
    return Stream.of("VP8", "VP9", "H264", "AV1");
  }

  /**
   * Untrusted payloads of any length, in an array that ends exactly where the payload does, so any
   * read past the end throws.
   */
  @Property(tries = 3000)
  void randomPayloadsNeverReadPastTheEnd(
      @ForAll("videoCodecs") String codec,
      @ForAll @Size(min = 1, max = 24) byte[] payload,
      @ForAll @IntRange(min = 0, max = 4) int prefix) {
    byte[] b = new byte[prefix + payload.length];
    System.arraycopy(payload, 0, b, prefix, payload.length);
    Keyframes.isKeyframe(codec, b, prefix, payload.length);
  }

  /** Truncated descriptors: the first byte sets every optional-field flag. */
  @Property(tries = 2000)
  void truncatedDescriptorsNeverThrow(
      @ForAll("videoCodecs") String codec,
      @ForAll @From("descriptorFirstBytes") int first,
      @ForAll @Size(min = 0, max = 2) byte[] rest) {
    byte[] b = new byte[1 + rest.length];
    b[0] = (byte) first;
    System.arraycopy(rest, 0, b, 1, rest.length);
    Keyframes.isKeyframe(codec, b, 0, b.length);
  }

  @Provide
  Arbitrary<String> videoCodecs() {
    return Arbitraries.of("VP8", "VP9", "H264", "AV1");
  }

  @Provide
  Arbitrary<Integer> descriptorFirstBytes() {
    return Arbitraries.of(0x90, 0xb0, 0xa8, 0xb8, 0xe8, 0x78, 0x7c, 0x18, 0xff);
  }
}
