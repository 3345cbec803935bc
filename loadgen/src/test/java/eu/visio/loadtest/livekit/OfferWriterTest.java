package eu.visio.loadtest.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.sdp.Direction;
import eu.visio.media.sdp.MediaDescription;
import eu.visio.media.sdp.MediaKind;
import eu.visio.media.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

/** The bots' offers parse with the server's own SDP parser, as it will read them. */
class OfferWriterTest {
  static final String FP =
      "sha-256 35:FE:ED:B3:BB:15:F3:5C:54:77:26:6E:D2:74:A2:84:FF:0C:5A:FB:5C:F5:8F:6F:6C:28:55:A7:27:70:3E:A1";

  @Test
  void aPublisherOffersItsTracksThenItsSlots() throws Exception {
    String sdp =
        OfferWriter.write(
            new OfferWriter.Offer(
                "ufrag1", "password-password-1234", FP, 0x10000003, true, "s", "a", "v", 3, 2, 1),
            1);
    SessionDescription sd = SessionDescription.parse(sdp);
    assertThat(sd.bundleMids()).containsExactly("0", "1", "2", "3", "4");
    MediaDescription audio = sd.media().get(0);
    assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
    assertThat(audio.msids().getFirst().trackId()).isEqualTo("a");
    assertThat(audio.ssrcs()).isNotEmpty();
    MediaDescription video = sd.media().get(1);
    assertThat(video.kind()).isEqualTo(MediaKind.VIDEO);
    assertThat(video.rids()).extracting(r -> r.id()).containsExactly("q", "h", "f");
    assertThat(video.simulcast()).isNotNull();
    assertThat(sd.media().subList(2, 5))
        .extracting(MediaDescription::kind, MediaDescription::direction)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(MediaKind.AUDIO, Direction.RECVONLY),
            org.assertj.core.groups.Tuple.tuple(MediaKind.VIDEO, Direction.RECVONLY),
            org.assertj.core.groups.Tuple.tuple(MediaKind.AUDIO, Direction.RECVONLY));
    for (MediaDescription m : sd.media()) {
      assertThat(m.iceUfrag()).isEqualTo("ufrag1");
      assertThat(m.fingerprints()).hasSize(1);
      assertThat(m.rtcpMux()).isTrue();
    }
  }

  @Test
  void aSubscriberOffersSlotsOnly() throws Exception {
    String sdp =
        OfferWriter.write(
            new OfferWriter.Offer(
                "u", "password-password-1234", FP, 0, false, "s", "a", "v", 3, 3, 0),
            2);
    SessionDescription sd = SessionDescription.parse(sdp);
    assertThat(sd.media())
        .extracting(MediaDescription::direction)
        .containsOnly(Direction.RECVONLY)
        .hasSize(3);
  }
}
