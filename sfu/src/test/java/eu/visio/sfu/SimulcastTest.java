package eu.visio.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.rtcp.PictureLossIndication;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.sfu.layer.LayerDropReason;
import eu.visio.sfu.layer.Vp8Descriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Simulcast (RFC 8853) on a virtual clock: encodings announced by rid only, SSRCs learnt from the
 * RFC 8852 header extensions, one encoding per subscriber switched at its keyframes, with gapless
 * sequence numbers and picture ids and timestamps aligned by sender reports.
 */
class SimulcastTest {
  static final int MID = 4;
  static final int RID = 10;
  static final int RRID = 11;
  static final int[] SSRC = {0xA000_0001, 0xA000_0002, 0xA000_0003};
  static final int[] RTX = {0xB000_0001, 0xB000_0002, 0xB000_0003};
  static final int[] TS_BASE = {1_000, 500_000, 90_000_000};
  static final int[] WIDTH = {320, 640, 1280};
  static final String[] RIDS = {"q", "h", "f"};
  static final long MS = 1_000_000L;
  static final int SUB_SSRC = 0x5000_0001;

  final DropCounters drops = new DropCounters();
  final RecordingSink upstream = new RecordingSink();
  final byte[] scratch = Streams.scratch();
  final Publisher publisher = new Publisher("p", upstream, drops, scratch, 2_000_000);
  final PublishedTrack track = publisher.addTrack("cam", simulcastInfo("1"));
  final RecordingSink viewer = new RecordingSink();
  final DownTrack down = new DownTrack("v/cam", Streams.subscriberVideo(SUB_SSRC, 0), viewer);
  final int[] seq = {100, 2000, 30000};
  final int[] pid = {10, 2000, 30000};

  static TrackInfo simulcastInfo(String mid) {
    return new TrackInfo(
        TrackKind.VIDEO,
        "VP8",
        90_000,
        96,
        97,
        0,
        0,
        Map.of(
            RtpExtensions.MID,
            MID,
            RtpExtensions.RTP_STREAM_ID,
            RID,
            RtpExtensions.REPAIRED_RTP_STREAM_ID,
            RRID),
        mid,
        List.of(RIDS),
        false,
        -1);
  }

  /** VP8 payload: extended descriptor with a 15-bit picture id, then a key or delta frame tag. */
  static byte[] vp8(int pictureId, boolean key, int width, int height) {
    String d = "90 80 %04x".formatted(0x8000 | pictureId);
    String frame =
        key
            ? "10 02 00 9d 01 2a %02x %02x %02x %02x"
                .formatted(width & 0xFF, width >> 8, height & 0xFF, height >> 8)
            : "11 02 00 01 02 03";
    return RtpBuilder.hex(d + frame);
  }

  /** Sends one single-packet frame of encoding {@code e}, {@code frame} frames after its start. */
  void frame(int e, int frame, boolean key, long now) {
    byte[] b =
        RtpBuilder.rtp(96, seq[e]++, TS_BASE[e] + frame * 3000, SSRC[e])
            .marker()
            .ext(MID, "31")
            .ext(RID, RIDS[e].getBytes(StandardCharsets.US_ASCII))
            .payload(vp8(pid[e]++, key, WIDTH[e], WIDTH[e] * 9 / 16))
            .build();
    publisher.onRtp(b, 0, b.length, now);
  }

  /** Frames 0..n-1 on all three encodings, keyframes at frame 0, at 33 ms spacing from t0. */
  void all(int from, int to, long t0, boolean keysAtStart) {
    for (int f = from; f < to; f++) {
      for (int e = 0; e < 3; e++) {
        frame(e, f, keysAtStart && f == 0, t0 + f * 33 * MS);
      }
    }
  }

  List<RtpPacket> sent() {
    return java.util.stream.IntStream.range(0, viewer.rtp.size()).mapToObj(viewer::rtp).toList();
  }

  List<Integer> plisTo() {
    return upstream.rtcpPackets().stream()
        .filter(p -> p instanceof PictureLossIndication)
        .map(p -> ((PictureLossIndication) p).mediaSsrc())
        .toList();
  }

  @Test
  void ssrcsAreLearntFromRidsAndKeyframeSizesRead() {
    all(0, 2, 0, true);
    for (int e = 0; e < 3; e++) {
      assertThat(track.ssrc(e)).isEqualTo(SSRC[e]);
      assertThat(track.width(e)).isEqualTo(WIDTH[e]);
      assertThat(track.packetsReceived(e)).isEqualTo(2);
    }
    assertThat(drops.count(DropReason.UNKNOWN_SSRC)).isZero();
  }

  @Test
  void everyPacketOfAKeyframeIsMeasuredApartFromTheDeltaFrames() {
    all(0, 30, 0, true);
    long now = 29 * 33 * MS;
    long before = track.bitrates().bitrate(0, 0, now);
    // Frame 30 of encoding 0, a keyframe of ten packets: a first one that says so, nine after it
    // (no start bit, the same timestamp) that only their picture makes key.
    int length = 0;
    for (int i = 0; i < 10; i++) {
      byte[] payload =
          i == 0 ? vp8(pid[0], true, WIDTH[0], WIDTH[0] * 9 / 16) : RtpBuilder.hex("80 80 00 00");
      byte[] b =
          RtpBuilder.rtp(96, seq[0]++, TS_BASE[0] + 30 * 3000, SSRC[0])
              .ext(MID, "31")
              .ext(RID, RIDS[0].getBytes(StandardCharsets.US_ASCII))
              .payload(java.util.Arrays.copyOf(payload, 1_000))
              .build();
      publisher.onRtp(b, 0, b.length, now);
      length = b.length;
    }
    // Spread over ten seconds (LayerBitrates); counted as delta frames they would add 10x as much.
    assertThat(track.bitrates().bitrate(0, 0, now) - before)
        .isCloseTo(10L * length * 8 / 10, org.assertj.core.api.Assertions.within(1L));
    long withKey = track.bitrates().bitrate(0, 0, now);
    byte[] delta =
        RtpBuilder.rtp(96, seq[0]++, TS_BASE[0] + 31 * 3000, SSRC[0])
            .ext(MID, "31")
            .ext(RID, RIDS[0].getBytes(StandardCharsets.US_ASCII))
            .payload(java.util.Arrays.copyOf(vp8(pid[0]++, false, 0, 0), 1_000))
            .build();
    publisher.onRtp(delta, 0, delta.length, now);
    // Over the last second (0.9-1 s): about 8 bits a byte, not 0.8.
    assertThat(track.bitrates().bitrate(0, 0, now) - withKey)
        .as("the next picture counts as a delta frame")
        .isGreaterThan(7L * delta.length);
  }

  @Test
  void unknownRidAndForeignMidAreDropped() {
    byte[] unknownRid =
        RtpBuilder.rtp(96, 1, 0, 0x1234)
            .ext(MID, "31")
            .ext(RID, "7a")
            .payload(vp8(1, true, 2, 2))
            .build();
    byte[] otherMid =
        RtpBuilder.rtp(96, 1, 0, 0x1235)
            .ext(MID, "32")
            .ext(RID, "71")
            .payload(vp8(1, true, 2, 2))
            .build();
    publisher.onRtp(unknownRid, 0, unknownRid.length, 0);
    publisher.onRtp(otherMid, 0, otherMid.length, 0);
    assertThat(drops.count(DropReason.UNKNOWN_SSRC)).isEqualTo(2);
    assertThat(track.ssrc(0)).isZero();
  }

  @Test
  void twoSimulcastTracksWithTheSameRidsAreToldApartByMid() {
    PublishedTrack screen = publisher.addTrack("screen", simulcastInfo("2"));
    byte[] b =
        RtpBuilder.rtp(96, 1, 0, 0x7777)
            .ext(MID, "32")
            .ext(RID, "71")
            .payload(vp8(1, true, 2, 2))
            .build();
    publisher.onRtp(b, 0, b.length, 0);
    assertThat(screen.ssrc(0)).isEqualTo(0x7777);
    assertThat(track.ssrc(0)).isZero();
  }

  @Test
  void subscriberGetsOnlyItsEncoding() {
    down.setTargetLayers(0, 3);
    track.addDownTrack(down, 0);
    all(0, 10, 0, true);
    assertThat(sent()).hasSize(10).allSatisfy(p -> assertThat(p.ssrc()).isEqualTo(SUB_SSRC));
    assertThat(down.currentSpatial()).isZero();
    assertThat(down.dropCount(LayerDropReason.LAYER_NOT_SELECTED)).isEqualTo(20);
  }

  /**
   * Going up waits for a keyframe of the target (requested from its SSRC), keeps the old encoding
   * until then, and continues sequence numbers and picture ids without a gap; the timestamp comes
   * from the two encodings' sender reports (same NTP instant, different RTP bases).
   */
  @Test
  void switchUpAtTargetKeyframeIsGaplessAndAligned() {
    down.setTargetLayers(0, 3);
    track.addDownTrack(down, 0);
    all(0, 5, 0, true);
    // Sender reports: both encodings at the same instant, 5 frames in.
    long ntp = 0x1234_5678_0000_0000L;
    for (int e = 0; e < 3; e++) {
      SenderReport sr = new SenderReport(SSRC[e], ntp, TS_BASE[e] + 5 * 3000, 0, 0, List.of());
      byte[] b = new byte[64];
      int n = sr.write(b, 0);
      publisher.onRtcp(b, 0, n, 160 * MS);
    }
    upstream.clear();
    down.setTargetLayers(2, 3);
    all(5, 8, 165 * MS, false); // no keyframe on f yet: still q
    assertThat(plisTo()).contains(SSRC[2]);
    assertThat(sent()).hasSize(8).allSatisfy(p -> assertThat(p.ssrc()).isEqualTo(SUB_SSRC));
    frame(2, 8, true, 300 * MS); // f's keyframe
    frame(0, 8, false, 300 * MS);
    all(9, 12, 330 * MS, false);
    List<RtpPacket> out = sent();
    for (int i = 1; i < out.size(); i++) {
      assertThat(out.get(i).sequenceNumber())
          .as("gapless at %d", i)
          .isEqualTo((out.get(i - 1).sequenceNumber() + 1) & 0xFFFF);
    }
    RtpPacket lastQ = out.get(7);
    RtpPacket firstF = out.get(8);
    // Aligned: frame 8 of f is 3 frames (9000 ticks) after frame 5 of q, on q's clock.
    assertThat(firstF.timestamp() - lastQ.timestamp()).isEqualTo(3000);
    assertThat(down.alignedSwitches()).isEqualTo(1);
    Vp8Descriptor a = new Vp8Descriptor();
    Vp8Descriptor b = new Vp8Descriptor();
    a.parse(lastQ.buffer(), lastQ.payloadOffset(), lastQ.payloadLength());
    b.parse(firstF.buffer(), firstF.payloadOffset(), firstF.payloadLength());
    assertThat(b.pictureId()).isEqualTo(a.pictureId() + 1);
    assertThat(b.keyframe()).isTrue();
    assertThat(out).hasSize(12);
    assertThat(down.currentSpatial()).isEqualTo(2);
  }

  @Test
  void withoutSenderReportsTheSwitchAdvancesByElapsedTime() {
    down.setTargetLayers(0, 3);
    track.addDownTrack(down, 0);
    all(0, 3, 0, true);
    down.setTargetLayers(1, 3);
    frame(1, 3, true, 99 * MS);
    List<RtpPacket> out = sent();
    assertThat(out).hasSize(4);
    // 33 ms after the last q frame (at 66 ms): 2970 ticks at 90 kHz.
    assertThat(out.get(3).timestamp() - out.get(2).timestamp()).isEqualTo(2970);
    assertThat(down.alignedSwitches()).isZero();
  }

  @Test
  void pauseAndResumeKeepTheStreamContinuous() {
    down.setTargetLayers(1, 3);
    track.addDownTrack(down, 0);
    all(0, 3, 0, true);
    down.setTargetLayers(-1, 3);
    all(3, 6, 100 * MS, false);
    assertThat(sent()).hasSize(3);
    assertThat(down.dropCount(LayerDropReason.PAUSED)).isPositive();
    down.setTargetLayers(1, 3);
    frame(1, 6, true, 200 * MS);
    List<RtpPacket> out = sent();
    assertThat(out).hasSize(4);
    assertThat(out.get(3).sequenceNumber()).isEqualTo(out.get(2).sequenceNumber() + 1);
  }

  /**
   * RTX bound by repaired-rid repairs a loss on the forwarded encoding, rewritten for the viewer.
   */
  @Test
  void rtxWithRepairedRidRepairsTheForwardedEncoding() {
    down.setTargetLayers(0, 3);
    track.addDownTrack(down, 0);
    frame(0, 0, true, 0);
    int lostSeq = seq[0]++;
    int lostPid = pid[0]++;
    frame(0, 2, false, 66 * MS);
    byte[] original = vp8(lostPid, false, 0, 0);
    byte[] rtxPayload = new byte[2 + original.length];
    rtxPayload[0] = (byte) (lostSeq >>> 8);
    rtxPayload[1] = (byte) lostSeq;
    System.arraycopy(original, 0, rtxPayload, 2, original.length);
    byte[] rtx =
        RtpBuilder.rtp(97, 5, TS_BASE[0] + 3000, RTX[0])
            .ext(MID, "31")
            .ext(RRID, "71")
            .payload(rtxPayload)
            .build();
    publisher.onRtp(rtx, 0, rtx.length, 80 * MS);
    assertThat(track.counters().rtxRecovered()).isEqualTo(1);
    List<RtpPacket> out = sent();
    assertThat(out).hasSize(3);
    RtpPacket repaired = out.get(2);
    assertThat(repaired.sequenceNumber()).isEqualTo(out.get(0).sequenceNumber() + 1);
    Vp8Descriptor d = new Vp8Descriptor();
    d.parse(repaired.buffer(), repaired.payloadOffset(), repaired.payloadLength());
    Vp8Descriptor first = new Vp8Descriptor();
    first.parse(out.get(0).buffer(), out.get(0).payloadOffset(), out.get(0).payloadLength());
    assertThat(d.pictureId()).isEqualTo(first.pictureId() + 1);
  }

  @Test
  void byeForgetsTheEncodingsBinding() {
    all(0, 1, 0, true);
    byte[] b = new byte[64];
    int n = new eu.visio.media.rtcp.Goodbye(List.of(SSRC[1]), "").write(b, 0);
    publisher.onRtcp(b, 0, n, MS);
    assertThat(track.ssrc(1)).isZero();
    assertThat(track.ssrc(0)).isEqualTo(SSRC[0]);
  }

  @Test
  void keyframeRequestsAreThrottledPerEncoding() {
    track.requestKeyframe(0, 0);
    track.requestKeyframe(0, 0);
    track.requestKeyframe(1, 0);
    assertThat(plisTo()).isEmpty(); // SSRCs unknown yet: nothing to address
    all(0, 1, 0, true);
    track.requestKeyframe(0, 10 * MS);
    track.requestKeyframe(0, 20 * MS);
    track.requestKeyframe(1, 20 * MS);
    assertThat(plisTo()).containsExactly(SSRC[0], SSRC[1]);
  }

  /**
   * H.264 simulcast has no descriptor: a frame starts when the timestamp changes and a switch waits
   * for an IDR (NAL type 5) of the target encoding, here inside a STAP-A after SPS and PPS.
   */
  @Test
  void h264SwitchesAtAnIdrOfTheTarget() {
    PublishedTrack h264 =
        publisher.addTrack(
            "h264",
            new TrackInfo(
                TrackKind.VIDEO,
                "H264",
                90_000,
                102,
                -1,
                0,
                0,
                Map.of(RtpExtensions.MID, MID, RtpExtensions.RTP_STREAM_ID, RID),
                "2",
                List.of(RIDS),
                false,
                -1));
    DownTrack d =
        new DownTrack(
            "v/h264",
            new TrackInfo(TrackKind.VIDEO, "H264", 90_000, 104, -1, SUB_SSRC, 0, Map.of(), "v"),
            viewer);
    d.setTargetLayers(0, 0);
    h264.addDownTrack(d, 0);
    String idr = "78 0002 6742 0002 68ce 0003 65 8884"; // STAP-A: SPS, PPS, IDR slice
    String delta = "41 9a 02"; // a non-IDR slice
    int[] hseq = {1, 1, 1};
    for (int f = 0; f < 6; f++) {
      for (int e = 0; e < 3; e++) {
        boolean key = f == 0 || (e == 1 && f == 4);
        byte[] b =
            RtpBuilder.rtp(102, hseq[e]++, TS_BASE[e] + f * 3000, 0xC000 + e)
                .marker()
                .ext(MID, "32")
                .ext(RID, RIDS[e].getBytes(StandardCharsets.US_ASCII))
                .payload(key ? idr : delta)
                .build();
        publisher.onRtp(b, 0, b.length, f * 33 * MS);
      }
      if (f == 1) {
        d.setTargetLayers(1, 0);
      }
    }
    List<RtpPacket> out = sent();
    // q frames 0..4 (q's frame 4 arrives before h's), then h from its IDR at frame 4: gapless.
    assertThat(out).hasSize(7);
    for (int i = 1; i < out.size(); i++) {
      assertThat(out.get(i).sequenceNumber()).isEqualTo(out.get(i - 1).sequenceNumber() + 1);
      assertThat(out.get(i).payloadType()).isEqualTo(104);
    }
    assertThat(d.currentSpatial()).isEqualTo(1);
    assertThat(out.get(5).buffer()[out.get(5).payloadOffset()])
        .as("the IDR")
        .isEqualTo((byte) 0x78);
    assertThat(out.get(4).buffer()[out.get(4).payloadOffset()])
        .as("q's last")
        .isEqualTo((byte) 0x41);
  }
}
