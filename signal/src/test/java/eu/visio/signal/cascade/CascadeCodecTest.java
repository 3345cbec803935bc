package eu.visio.signal.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.sfu.TrackInfo;
import eu.visio.sfu.TrackKind;
import eu.visio.sfu.TrackSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.TrackType;
import livekit.LivekitRtc.SubscriptionPermission;
import livekit.LivekitRtc.TrackPermission;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CascadeCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  /** A data packet, byte by byte. */
  private static final String DATA =
      hex(
          """
          01                          | version
          0004 726f6f6d               | room: "room"
          0009 5f72656c6961626c65     | label: "_reliable"
          00000003 0a0102             | the LiveKit DataPacket: 3 bytes
          """);

  /** A part that ended: no link ids, members or layers. */
  private static final String ENDED =
      hex(
          """
          01                          | version
          0001 72                     | room: "r"
          0002 6e31                   | node: "n1"
          0000000000000007            | version 7
          01                          | ended
          0009 3132372e302e302e31     | link host: "127.0.0.1"
          1ecc                        | link port 7884
          0000                        | no link ids
          0000                        | no members
          0000                        | no wanted layers
          """);

  /** The hex of an annotated fixture: each line's bytes, before its "|" and description. */
  private static String hex(String annotated) {
    StringBuilder b = new StringBuilder();
    for (String line : annotated.split("\n")) {
      b.append(line.split("\\|")[0].replace(" ", ""));
    }
    return b.toString();
  }

  @Test
  void dataFixtureDecodesAndEncodesBack() throws Exception {
    PartData d = CascadeCodec.decodeData(HEX.parseHex(DATA));
    assertThat(d.room()).isEqualTo("room");
    assertThat(d.label()).isEqualTo("_reliable");
    assertThat(d.packet()).containsExactly(0x0a, 0x01, 0x02);
    assertThat(HEX.formatHex(CascadeCodec.encode(d))).isEqualTo(DATA);
  }

  @Test
  void endedStateFixtureDecodesAndEncodesBack() throws Exception {
    PartState s = CascadeCodec.decodeState(HEX.parseHex(ENDED));
    assertThat(s.room()).isEqualTo("r");
    assertThat(s.node()).isEqualTo("n1");
    assertThat(s.version()).isEqualTo(7);
    assertThat(s.ended()).isTrue();
    assertThat(s.linkHost()).isEqualTo("127.0.0.1");
    assertThat(s.linkPort()).isEqualTo(7884);
    assertThat(s.linkIds()).isEmpty();
    assertThat(s.members()).isEmpty();
    assertThat(s.wantedLayers()).isEmpty();
    assertThat(HEX.formatHex(CascadeCodec.encode(s))).isEqualTo(ENDED);
  }

  @Test
  void aFullStateRoundTrips() throws Exception {
    PartState s = fullState();
    PartState back = CascadeCodec.decodeState(CascadeCodec.encode(s));
    assertThat(back).isEqualTo(s);
    PartState.Export cam = back.members().getFirst().tracks().getFirst();
    assertThat(cam.media().rids()).containsExactly("q", "h", "f");
    assertThat(cam.media().extensionIds()).containsEntry("urn:ietf:params:rtp-hdrext:sdes:mid", 4);
    assertThat(back.members().getFirst().permission().getAllParticipants()).isFalse();
  }

  /** Each way a state can be wrong, and the error that names it. */
  @ParameterizedTest
  @CsvSource({
    "02, version 2",
    "01000172, truncated",
    "ENDED+00, 1 bytes after the message",
  })
  void badBytesAreRefusedWithTheirReason(String hex, String reason) {
    String bytes = hex.startsWith("ENDED") ? ENDED + hex.substring(6) : hex;
    assertThatThrownBy(() -> CascadeCodec.decodeState(HEX.parseHex(bytes)))
        .isInstanceOf(CascadeParseException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void aBlobLongerThanTheMessageIsRefusedBeforeAllocation() {
    String huge = DATA.replace("00000003", "7fffffff");
    assertThatThrownBy(() -> CascadeCodec.decodeData(HEX.parseHex(huge)))
        .isInstanceOf(CascadeParseException.class)
        .hasMessageContaining("blob of 2147483647 bytes");
  }

  @Test
  void channelZeroAndUnknownEnumsAreRefused() {
    byte[] good = CascadeCodec.encode(fullState());
    String hex = HEX.formatHex(good);
    // The first export's channel follows its sid "TR_cam" (0006 5452 5f63 616d): 0x0001.
    int at = hex.indexOf("0006" + "54525f63616d") + 16;
    assertThat(hex.substring(at, at + 4)).isEqualTo("0001");
    String zero = hex.substring(0, at) + "0000" + hex.substring(at + 4);
    assertThatThrownBy(() -> CascadeCodec.decodeState(HEX.parseHex(zero)))
        .isInstanceOf(CascadeParseException.class)
        .hasMessageContaining("channel 0");
    String source = hex.substring(0, at + 4) + "ff" + hex.substring(at + 6);
    assertThatThrownBy(() -> CascadeCodec.decodeState(HEX.parseHex(source)))
        .isInstanceOf(CascadeParseException.class)
        .hasMessageContaining("enum value 255");
  }

  @Property(tries = 2000)
  void randomBytesNeverThrowAnythingElse(@ForAll byte[] bytes) {
    decodeBoth(bytes);
  }

  @Property(tries = 3000)
  void mutatedStatesNeverThrowAnythingElse(@ForAll("mutated") byte[] bytes) {
    decodeBoth(bytes);
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    byte[] good = CascadeCodec.encode(fullState());
    return Arbitraries.integers()
        .between(0, good.length - 1)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .flatMap(
            at ->
                Arbitraries.bytes()
                    .list()
                    .ofSize(at.size())
                    .map(
                        values -> {
                          byte[] b = good.clone();
                          for (int i = 0; i < at.size(); i++) {
                            b[at.get(i)] = values.get(i);
                          }
                          return b;
                        }));
  }

  private static void decodeBoth(byte[] bytes) {
    try {
      CascadeCodec.decodeState(bytes);
    } catch (CascadeParseException expected) {
      // the only failure allowed
    }
    try {
      CascadeCodec.decodeData(bytes);
    } catch (CascadeParseException expected) {
      // the only failure allowed
    }
  }

  static PartState fullState() {
    TrackInfo cam =
        new TrackInfo(
            TrackKind.VIDEO,
            "VP8",
            90_000,
            96,
            97,
            0,
            0,
            Map.of("urn:ietf:params:rtp-hdrext:sdes:mid", 4),
            "1",
            List.of("q", "h", "f"),
            false,
            -1);
    TrackInfo mic =
        new TrackInfo(TrackKind.AUDIO, "opus", 48_000, 111, -1, 0x1234, 0, Map.of(), "0");
    ParticipantInfo ann =
        ParticipantInfo.newBuilder()
            .setSid("PA_ann")
            .setIdentity("ann")
            .addTracks(
                livekit.LivekitModels.TrackInfo.newBuilder()
                    .setSid("TR_cam")
                    .setType(TrackType.VIDEO))
            .addTracks(
                livekit.LivekitModels.TrackInfo.newBuilder()
                    .setSid("TR_mic")
                    .setType(TrackType.AUDIO))
            .build();
    SubscriptionPermission onlyBob =
        SubscriptionPermission.newBuilder()
            .setAllParticipants(false)
            .addTrackPermissions(
                TrackPermission.newBuilder().setParticipantIdentity("bob").setAllTracks(true))
            .build();
    return new PartState(
        "room",
        "node1",
        1_700_000_000_000_000L,
        false,
        "10.0.0.1",
        7884,
        Map.of("node2", 0x0001_0003),
        List.of(
            new PartState.Member(
                ann,
                onlyBob,
                3,
                4.5f,
                List.of(
                    new PartState.Export("TR_cam", 1, cam, TrackSource.CAMERA),
                    new PartState.Export("TR_mic", 2, mic, TrackSource.MICROPHONE)))),
        Map.of("TR_other", 1));
  }
}
