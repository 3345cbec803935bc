package eu.visio.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtcp.FullIntraRequest;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.sfu.layer.LayerDropReason;
import eu.visio.sfu.layer.Vp8Descriptor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Layers inside one stream, through the whole down track: VP8 temporal layers dropped by frame, VP9
 * spatial layers filtered by the SVC filter with the marker moved to the highest layer sent, and
 * FIR for a publisher that did not negotiate PLI.
 */
class LayeredForwardingTest {
  static final long MS = 1_000_000L;
  static final int SSRC = 0x7000_0001;
  static final Map<String, Integer> EXT = Map.of(RtpExtensions.MID, 4);

  final DropCounters drops = new DropCounters();
  final RecordingSink upstream = new RecordingSink();
  final Publisher publisher = new Publisher("p", upstream, drops, Streams.scratch(), 2_000_000);
  final RecordingSink viewer = new RecordingSink();
  final DownTrack down = new DownTrack("v", Streams.subscriberVideo(0x5000_0001, 0), viewer);

  void send(byte[] b, long now) {
    publisher.onRtp(b, 0, b.length, now);
  }

  /** VP8 with picture id, TL0PICIDX and TID (RFC 7741 §4.2): X=1 S=1, I L T set. */
  static String vp8(int pid, int tl0, int tid, boolean sync, boolean key) {
    return "90 e0 %04x %02x %02x %s"
        .formatted(
            0x8000 | pid,
            tl0,
            (tid << 6) | (sync ? 0x20 : 0),
            key ? "10 02 00 9d 01 2a 40 01 b4 00" : "11 02 00");
  }

  /** The L1T3 pattern 0,2,1,2: dropping TID 2 halves the frame rate and leaves no gap. */
  @Test
  void vp8UpperTemporalLayerIsDroppedByFrameWithoutGaps() {
    PublishedTrack t =
        publisher.addTrack(
            "v", new TrackInfo(TrackKind.VIDEO, "VP8", 90_000, 96, -1, SSRC, 0, EXT, "1"));
    down.setTargetLayers(0, 1);
    t.addDownTrack(down, 0);
    int[] tids = {0, 2, 1, 2, 0, 2, 1, 2};
    int tl0 = 5;
    for (int i = 0; i < tids.length; i++) {
      if (tids[i] == 0 && i > 0) {
        tl0++;
      }
      byte[] b =
          RtpBuilder.rtp(96, 100 + i, i * 3000, SSRC)
              .marker()
              .payload(vp8(40 + i, tl0, tids[i], false, i == 0))
              .build();
      send(b, i * 33 * MS);
    }
    assertThat(viewer.rtp).hasSize(4);
    Vp8Descriptor d = new Vp8Descriptor();
    for (int i = 0; i < 4; i++) {
      RtpPacket p = viewer.rtp(i);
      assertThat(p.sequenceNumber()).isEqualTo(viewer.rtp(0).sequenceNumber() + i);
      d.parse(p.buffer(), p.payloadOffset(), p.payloadLength());
      assertThat(d.pictureId()).as("picture ids close up").isEqualTo(40 + i);
      assertThat(d.tid()).isLessThanOrEqualTo(1);
    }
    assertThat(down.dropCount(LayerDropReason.TEMPORAL_LAYER_DROPPED)).isEqualTo(4);
  }

  /** VP9 descriptor, non-flexible: I, L, B/E flags; picture id, layer byte, TL0PICIDX. */
  static String vp9(int pid, int sid, boolean key, boolean end) {
    int b0 = 0x80 | (key ? 0 : 0x40) | 0x20 | 0x08 | (end ? 0x04 : 0);
    int layer = (sid << 1) | (sid > 0 ? 1 : 0);
    return "%02x %04x %02x %02x aa bb".formatted(b0, 0x8000 | pid, layer, 3);
  }

  /** Three spatial layers per picture; a subscriber limited to layer 1 gets s0 and s1, marked. */
  @Test
  void vp9SpatialLayersAboveTheTargetAreDroppedAndTheMarkerMoves() {
    PublishedTrack t =
        publisher.addTrack(
            "v", new TrackInfo(TrackKind.VIDEO, "VP9", 90_000, 98, -1, SSRC, 0, EXT, "1"));
    assertThat(t.info().svc()).isTrue();
    down.setTargetLayers(1, 7);
    t.addDownTrack(down, 0);
    int seq = 1;
    for (int pic = 0; pic < 3; pic++) {
      for (int sid = 0; sid < 3; sid++) {
        RtpBuilder b = RtpBuilder.rtp(98, seq++, pic * 3000, SSRC);
        if (sid == 2) {
          b.marker();
        }
        send(b.payload(vp9(pic, sid, pic == 0 && sid == 0, true)).build(), pic * 33 * MS);
      }
    }
    assertThat(viewer.rtp).hasSize(6);
    for (int i = 0; i < 6; i++) {
      RtpPacket p = viewer.rtp(i);
      assertThat(p.sequenceNumber()).isEqualTo(viewer.rtp(0).sequenceNumber() + i);
      assertThat(p.marker()).as("packet %d", i).isEqualTo(i % 2 == 1);
    }
    assertThat(down.dropCount(LayerDropReason.LAYER_NOT_SELECTED)).isEqualTo(3);
  }

  @Test
  void aPublisherWithoutPliGetsFir() {
    PublishedTrack t =
        publisher.addTrack(
            "v",
            new TrackInfo(
                TrackKind.VIDEO, "VP8", 90_000, 96, -1, SSRC, 0, EXT, "1", List.of(), true, -1));
    t.requestKeyframe(0, 0);
    t.requestKeyframe(0, 400 * MS);
    List<FullIntraRequest> firs =
        upstream.rtcpPackets().stream()
            .filter(p -> p instanceof FullIntraRequest)
            .map(p -> (FullIntraRequest) p)
            .toList();
    assertThat(firs).hasSize(2);
    assertThat(firs.get(0).entries().getFirst().ssrc()).isEqualTo(SSRC);
    assertThat(firs.get(1).entries().getFirst().sequenceNumber())
        .as("RFC 5104 §4.3.1.1: a new request has a new sequence number")
        .isEqualTo(firs.get(0).entries().getFirst().sequenceNumber() + 1);
  }
}
