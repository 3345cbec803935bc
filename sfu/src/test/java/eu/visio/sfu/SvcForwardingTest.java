package eu.visio.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.sfu.layer.LayerDropReason;
import eu.visio.sfu.svc.SvcStream;
import eu.visio.sfu.svc.SvcStream.Packet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An L3T3 SVC source (one SSRC) through a down track: the down track picks the SVC filter of the
 * source's codec, VP9 reading the payload descriptor, AV1 the dependency descriptor extension, and
 * the subscriber gets S1T1 only, one picture ending (marker) per forwarded picture.
 */
class SvcForwardingTest {
  static final int DD_ID = 12;
  static final int PUB_PT = 98;
  static final int SUB_PT = 120;
  static final int PUB_SSRC = 0x2222_0001;
  static final int SUB_SSRC = 0x5000_0002;

  final DropCounters drops = new DropCounters();
  final RecordingSink upstream = new RecordingSink();
  final RecordingSink viewer = new RecordingSink();
  final Publisher publisher = new Publisher("p", upstream, drops, Streams.scratch(), 2_000_000);

  static TrackInfo info(String codec, int pt, int ssrc, Map<String, Integer> ext, String mid) {
    Map<String, Integer> ids = new HashMap<>(ext);
    if (codec.equals("AV1")) {
      ids.put(RtpExtensions.DEPENDENCY_DESCRIPTOR, DD_ID);
    }
    return new TrackInfo(TrackKind.VIDEO, codec, 90_000, pt, -1, ssrc, 0, ids, mid);
  }

  @ParameterizedTest
  @ValueSource(strings = {"VP9", "AV1"})
  void subscriberGetsItsSpatialAndTemporalLayersOnly(String codec) {
    PublishedTrack track =
        publisher.addTrack("cam", info(codec, PUB_PT, PUB_SSRC, Streams.PUB_EXT, "1"));
    assertThat(track.info().svc()).isTrue();
    DownTrack down =
        new DownTrack("v/cam", info(codec, SUB_PT, SUB_SSRC, Streams.SUB_EXT, "v"), viewer);
    down.setTargetLayers(1, 1);
    track.addDownTrack(down, 0);

    List<Packet> stream = SvcStream.fullSvc().pictures(0, 12, Set.of(0, 8));
    for (Packet p : stream) {
      RtpBuilder b = RtpBuilder.rtp(PUB_PT, p.seq(), p.ts(), PUB_SSRC);
      if (p.marker()) {
        b.marker();
      }
      if (codec.equals("VP9")) {
        b.payload(concat(p.vp9(), (byte) 0x55));
      } else {
        b.twoByte().ext(DD_ID, p.dd()).payload(new byte[] {0x10, 0x55}); // aggregation header, OBU
      }
      byte[] rtp = b.build();
      publisher.onRtp(rtp, 0, rtp.length, p.picture() * 33 * Streams.MS);
    }

    List<Packet> expected = stream.stream().filter(p -> p.sid() <= 1 && p.tid() <= 1).toList();
    List<RtpPacket> sent = IntStream.range(0, viewer.rtp.size()).mapToObj(viewer::rtp).toList();
    assertThat(sent).hasSize(expected.size());
    // T0 and T1 pictures: 0, 2, 4, 6, 8, 10; each ends on the last packet of S1.
    assertThat(sent.stream().filter(RtpPacket::marker)).hasSize(6);
    assertThat(
            down.dropCount(LayerDropReason.LAYER_NOT_SELECTED)
                + down.dropCount(LayerDropReason.TEMPORAL_LAYER_DROPPED))
        .isEqualTo(stream.size() - expected.size());
    assertThat(down.currentSpatial()).isEqualTo(1);
    assertThat(down.currentTemporal()).isEqualTo(1);
  }

  private static byte[] concat(byte[] a, byte b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }
}
