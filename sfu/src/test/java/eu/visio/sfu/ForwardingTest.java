package eu.visio.sfu;

import static eu.visio.sfu.Streams.MS;
import static eu.visio.sfu.Streams.OPUS;
import static eu.visio.sfu.Streams.PUB_RTX_PT;
import static eu.visio.sfu.Streams.PUB_RTX_SSRC;
import static eu.visio.sfu.Streams.PUB_VIDEO_SSRC;
import static eu.visio.sfu.Streams.PUB_VP8_PT;
import static eu.visio.sfu.Streams.SUB_OPUS_PT;
import static eu.visio.sfu.Streams.SUB_RTX_PT;
import static eu.visio.sfu.Streams.SUB_VP8_PT;
import static eu.visio.sfu.Streams.VP8_DELTA;
import static eu.visio.sfu.Streams.VP8_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtp.RtpPacket;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Packets from a publisher through {@link Broadcast} to down tracks, rewritten per subscriber. */
class ForwardingTest {
  private static final int SUB_SSRC = 0x2222_0001;
  private static final int SUB_RTX_SSRC = 0x2222_0002;
  private static final int SUB_AUDIO_SSRC = 0x2222_0003;

  private final DropCounters drops = new DropCounters();
  private final byte[] scratch = Streams.scratch();
  private final Broadcast broadcast = new Broadcast("s");
  private final Streams.Pub pub = new Streams.Pub("p1", drops, scratch);
  private final RecordingSink sub = new RecordingSink();
  private final DownTrack video = new DownTrack("d/v", Streams.subscriberVideo(SUB_SSRC, 0), sub);
  private final DownTrack audio =
      new DownTrack("d/a", Streams.subscriberAudio(SUB_AUDIO_SSRC), sub);

  ForwardingTest() {
    broadcast.setPublisher(pub.publisher, 0);
  }

  @Test
  void videoWaitsForAKeyframe() {
    broadcast.addDownTrack(video, 0);
    pub.video(100, 9000, VP8_DELTA, 10 * MS);
    pub.video(101, 9000, "00 0203", 11 * MS); // rest of that frame
    pub.video(102, 12000, VP8_DELTA, 43 * MS);
    assertThat(sub.rtp).isEmpty();
    assertThat(video.started()).isFalse();
    assertThat(video.droppedBeforeKeyframe()).isEqualTo(3);

    pub.video(103, 15000, VP8_KEY, 76 * MS);
    pub.video(104, 15000, "00 0203", 77 * MS);
    pub.video(105, 18000, VP8_DELTA, 110 * MS);
    assertThat(video.started()).isTrue();
    assertThat(sub.rtp).hasSize(3);
    assertThat(sub.rtp(0).sequenceNumber()).isEqualTo(103);
    assertThat(video.packetsSent()).isEqualTo(3);
    assertThat(video.droppedBeforeKeyframe()).isEqualTo(3);
  }

  @Test
  void audioStartsWithTheFirstPacket() {
    broadcast.addDownTrack(audio, 0);
    pub.audio(7, 960, 20 * MS);
    assertThat(sub.rtp).hasSize(1);
    assertThat(audio.started()).isTrue();
  }

  @Test
  void rewritesSsrcPayloadTypeAndExtensionsAndKeepsTheRest() {
    broadcast.addDownTrack(video, 0);
    byte[] in =
        RtpBuilder.rtp(PUB_VP8_PT, 0xBEEF, 0x12345678, PUB_VIDEO_SSRC)
            .marker()
            .ext(3, "0102") // transport-cc, 2 on the subscriber
            .payload(VP8_KEY)
            .padding(4)
            .build();
    byte[] original = in.clone();
    pub.send(in, 0);

    assertThat(in).as("the publisher's buffer is not modified").isEqualTo(original);
    RtpPacket out = sub.rtp(0);
    assertThat(out.ssrc()).isEqualTo(SUB_SSRC);
    assertThat(out.payloadType()).isEqualTo(SUB_VP8_PT);
    assertThat(out.marker()).isTrue();
    assertThat(out.sequenceNumber()).isEqualTo(0xBEEF);
    assertThat(out.timestamp()).isEqualTo(0x12345678);
    assertThat(out.readExtension(2)).isEqualTo(0x0102);
    assertThat(out.extensionOffset(3)).isEqualTo(-1);
    assertThat(payload(out)).isEqualTo(VP8_KEY.replace(" ", ""));
    assertThat(out.length()).isEqualTo(in.length);
  }

  @Test
  void audioAndVideoGoToTheirOwnDownTracks() {
    broadcast.addDownTrack(video, 0);
    broadcast.addDownTrack(audio, 0);
    pub.audio(1, 0, 0);
    pub.video(1, 0, VP8_KEY, 0);
    assertThat(sub.rtp(0).ssrc()).isEqualTo(SUB_AUDIO_SSRC);
    assertThat(sub.rtp(0).payloadType()).isEqualTo(SUB_OPUS_PT);
    assertThat(sub.rtp(1).ssrc()).isEqualTo(SUB_SSRC);
  }

  /** A payload type the subscriber did not negotiate is dropped, and the output closes up. */
  @Test
  void unknownPayloadTypeIsDropped() {
    broadcast.addDownTrack(audio, 0);
    pub.audio(1, 0, 0);
    byte[] red = RtpBuilder.rtp(63, 2, 960, Streams.PUB_AUDIO_SSRC).payload(OPUS).build();
    pub.send(red, 20 * MS);
    pub.audio(3, 1920, 40 * MS);
    assertThat(sub.rtp).hasSize(2);
    assertThat(sub.rtp(1).sequenceNumber()).isEqualTo(2);
    assertThat(audio.droppedUnknownPayload()).isEqualTo(1);
  }

  /**
   * A new publisher's numbering starts anywhere; the subscriber must see one stream: the next
   * sequence number, and a timestamp advanced by the wall-clock pause in RTP units.
   */
  @Test
  void replacedPublisherContinuesTheOutputStream() {
    broadcast.addDownTrack(video, 0);
    broadcast.addDownTrack(audio, 0);
    for (int i = 0; i < 10; i++) {
      pub.video(1000 + i, 90_000 + 3000 * i, i == 0 ? VP8_KEY : VP8_DELTA, i * 33 * MS);
      pub.audio(500 + i, 48_000 + 960 * i, i * 20 * MS);
    }
    int lastVideoSeq = 1009;
    int lastVideoTs = 90_000 + 3000 * 9;
    long lastVideoAt = 9 * 33 * MS;
    int lastAudioTs = 48_000 + 960 * 9;
    long lastAudioAt = 9 * 20 * MS;
    sub.clear();

    Streams.Pub next = new Streams.Pub("p2", drops, scratch);
    broadcast.setPublisher(next.publisher, 400 * MS);
    assertThat(pub.video.downTrackCount()).isZero();
    // Sequence numbers about to wrap, timestamps anywhere.
    next.video(65_534, 0xFFFF_F000, VP8_DELTA, 450 * MS); // not a keyframe: dropped
    next.audio(40_000, 7, 450 * MS);
    next.video(65_535, 0xFFFF_F000 + 3000, VP8_KEY, 500 * MS);
    next.video(0, 0xFFFF_F000 + 3000, "00 0203", 501 * MS);
    next.video(1, 0xFFFF_F000 + 6000, VP8_DELTA, 533 * MS);
    next.audio(40_001, 7 + 960, 470 * MS);

    RtpPacket a0 = sub.rtp(0);
    assertThat(a0.ssrc()).isEqualTo(SUB_AUDIO_SSRC);
    assertThat(a0.sequenceNumber()).isEqualTo(510);
    assertThat(a0.timestamp()).isEqualTo(lastAudioTs + (int) ((450 * MS - lastAudioAt) * 48 / MS));

    RtpPacket v0 = sub.rtp(1);
    assertThat(v0.ssrc()).isEqualTo(SUB_SSRC);
    assertThat(v0.sequenceNumber()).isEqualTo(lastVideoSeq + 1);
    int ts0 = lastVideoTs + (int) ((500 * MS - lastVideoAt) * 90 / MS);
    assertThat(v0.timestamp()).isEqualTo(ts0);
    assertThat(sub.rtp(2).sequenceNumber()).isEqualTo(lastVideoSeq + 2);
    assertThat(sub.rtp(2).timestamp()).isEqualTo(ts0);
    assertThat(sub.rtp(3).sequenceNumber()).isEqualTo(lastVideoSeq + 3);
    assertThat(sub.rtp(3).timestamp()).isEqualTo(ts0 + 3000);
    assertThat(sub.rtp(4).sequenceNumber()).isEqualTo(511);
    assertThat(sub.rtp(4).timestamp()).isEqualTo(a0.timestamp() + 960);
    assertThat(sub.rtp).hasSize(5);

    // The old publisher's stragglers reach nobody.
    pub.video(1010, 90_000 + 3000 * 10, VP8_KEY, 540 * MS);
    assertThat(sub.rtp).hasSize(5);
  }

  @Test
  void settingTheSamePublisherAgainDoesNotDuplicatePackets() {
    broadcast.addDownTrack(audio, 0);
    broadcast.setPublisher(pub.publisher, 10 * MS);
    pub.audio(1, 0, 20 * MS);
    assertThat(sub.rtp).hasSize(1);
    assertThat(pub.audio.downTrackCount()).isEqualTo(1);
  }

  @Test
  void removedDownTrackGetsNothing() {
    broadcast.addDownTrack(audio, 0);
    broadcast.removeDownTrack(audio);
    pub.audio(1, 0, 0);
    assertThat(sub.rtp).isEmpty();
    assertThat(audio.source()).isNull();
    assertThat(broadcast.subscriberTrackCount()).isZero();
  }

  @Test
  void subscribersWaitForTheNextPublisher() {
    broadcast.removePublisher(pub.publisher);
    broadcast.addDownTrack(audio, 0);
    assertThat(audio.source()).isNull();
    Streams.Pub next = new Streams.Pub("p2", drops, scratch);
    broadcast.setPublisher(next.publisher, 0);
    next.audio(1, 0, 0);
    assertThat(sub.rtp).hasSize(1);
  }

  // ---- RTX (RFC 4588)

  /** Output sequence numbers are shifted by the switch; RTX must carry the shifted OSN. */
  private final class Switched {
    final RecordingSink withRtx = new RecordingSink();
    final RecordingSink withoutRtx = new RecordingSink();
    final DownTrack a =
        new DownTrack("a", Streams.subscriberVideo(SUB_SSRC, SUB_RTX_SSRC), withRtx);
    final DownTrack b = new DownTrack("b", Streams.subscriberVideo(0x3333_0001, 0), withoutRtx);
    final Streams.Pub next = new Streams.Pub("p2", drops, scratch);
    final int offset;
    final int tsOffset;

    Switched() {
      broadcast.addDownTrack(a, 0);
      broadcast.addDownTrack(b, 0);
      pub.video(100, 0, VP8_KEY, 0);
      broadcast.setPublisher(next.publisher, 100 * MS);
      next.video(5000, 777, VP8_KEY, 100 * MS);
      offset = 101 - 5000;
      assertThat(withRtx.lastRtp().sequenceNumber()).isEqualTo(101);
      // ts 0 sent at 0 ms, so the first packet after the switch at 100 ms is at 9000 (90 kHz).
      assertThat(withRtx.lastRtp().timestamp()).isEqualTo(9000);
      tsOffset = 9000 - 777;
      withRtx.clear();
      withoutRtx.clear();
    }

    void rtx(byte[] packet) {
      next.send(packet, 150 * MS);
    }
  }

  @Test
  void rtxIsForwardedAsRtxWithTheOriginalSequenceNumberShifted() {
    Switched s = new Switched();
    s.rtx(
        RtpBuilder.rtp(PUB_RTX_PT, 9, 777, PUB_RTX_SSRC)
            .ext(3, "0102")
            .payload("1389" + VP8_DELTA) // OSN 5001
            .padding(3)
            .build());

    assertThat(s.withRtx.rtp).hasSize(1);
    RtpPacket r = s.withRtx.rtp(0);
    assertThat(r.ssrc()).isEqualTo(SUB_RTX_SSRC);
    assertThat(r.payloadType()).isEqualTo(SUB_RTX_PT);
    assertThat(r.hasPadding()).as("padding stripped").isFalse();
    assertThat(r.readExtension(2)).isEqualTo(0x0102);
    assertThat(payload(r))
        .isEqualTo(String.format("%04x", 5001 + s.offset & 0xFFFF) + VP8_DELTA.replace(" ", ""));
    assertThat(r.timestamp()).isEqualTo(777 + s.tsOffset);
  }

  @Test
  void rtxIsUnwrappedForSubscribersWithoutRtx() {
    Switched s = new Switched();
    s.rtx(
        RtpBuilder.rtp(PUB_RTX_PT, 9, 777, PUB_RTX_SSRC)
            .ext(3, "0102")
            .payload("1389" + VP8_DELTA) // OSN 5001
            .padding(3)
            .build());

    assertThat(s.withoutRtx.rtp).hasSize(1);
    RtpPacket m = s.withoutRtx.rtp(0);
    assertThat(m.ssrc()).isEqualTo(0x3333_0001);
    assertThat(m.payloadType()).isEqualTo(SUB_VP8_PT);
    assertThat(m.sequenceNumber()).isEqualTo(5001 + s.offset & 0xFFFF);
    assertThat(m.hasPadding()).isFalse();
    assertThat(m.readExtension(2)).isEqualTo(0x0102);
    assertThat(payload(m)).isEqualTo(VP8_DELTA.replace(" ", ""));
    assertThat(m.timestamp()).isEqualTo(777 + s.tsOffset);
  }

  @Test
  void paddingOnlyRtxProbesAreDropped() {
    Switched s = new Switched();
    s.rtx(RtpBuilder.rtp(PUB_RTX_PT, 9, 777, PUB_RTX_SSRC).padding(224).build());
    assertThat(s.withRtx.rtp).isEmpty();
    assertThat(s.withoutRtx.rtp).isEmpty();
  }

  @Test
  void rtxBeforeTheDownTrackStartedIsDropped() {
    RecordingSink sink = new RecordingSink();
    DownTrack d = new DownTrack("d", Streams.subscriberVideo(SUB_SSRC, SUB_RTX_SSRC), sink);
    broadcast.addDownTrack(d, 0);
    pub.send(RtpBuilder.rtp(PUB_RTX_PT, 9, 0, PUB_RTX_SSRC).payload("0064 31").build(), 0);
    assertThat(sink.rtp).isEmpty();
  }

  private static String payload(RtpPacket p) {
    return HexFormat.of()
        .formatHex(
            Arrays.copyOfRange(
                p.buffer(), p.payloadOffset(), p.payloadOffset() + p.payloadLength()));
  }

  /** RED (RFC 2198) reaches a subscriber with RED as RED, block types mapped to its numbering. */
  @Test
  void redPassesThroughWithBlockTypesRewritten() {
    Streams.Pub redPub = new Streams.Pub("red", new eu.visio.media.DropCounters(), scratch, 63);
    DownTrack withRed =
        new DownTrack("r", Streams.subscriberAudio(SUB_AUDIO_SSRC).withRed(100), sub);
    redPub.audio.addDownTrack(withRed, 0);
    byte[] b =
        RtpBuilder.rtp(63, 1, 960, Streams.PUB_AUDIO_SSRC)
            .payload("ef 0f 00 02 | 6f | bb bb | cc cc cc")
            .build();
    redPub.send(b, 0);
    eu.visio.media.rtp.RtpPacket out = sub.rtp(0);
    assertThat(out.payloadType()).isEqualTo(100);
    assertThat(java.util.Arrays.copyOfRange(out.buffer(), out.payloadOffset(), out.length()))
        .isEqualTo(RtpBuilder.hex("ed 0f 00 02 | 6d | bb bb | cc cc cc"));
  }

  /** A subscriber without RED gets the primary Opus frame alone, under its Opus payload type. */
  @Test
  void redIsUnwrappedForASubscriberWithoutIt() {
    Streams.Pub redPub = new Streams.Pub("red", new eu.visio.media.DropCounters(), scratch, 63);
    DownTrack plain = new DownTrack("r", Streams.subscriberAudio(SUB_AUDIO_SSRC), sub);
    redPub.audio.addDownTrack(plain, 0);
    byte[] b =
        RtpBuilder.rtp(63, 1, 960, Streams.PUB_AUDIO_SSRC)
            .payload("ef 0f 00 02 | 6f | bb bb | cc cc cc")
            .build();
    redPub.send(b, 0);
    byte[] bad =
        RtpBuilder.rtp(63, 2, 1920, Streams.PUB_AUDIO_SSRC).payload("ef 0f 00 09 | 6f").build();
    redPub.send(bad, 20 * MS);
    eu.visio.media.rtp.RtpPacket out = sub.rtp(0);
    assertThat(out.payloadType()).isEqualTo(SUB_OPUS_PT);
    assertThat(java.util.Arrays.copyOfRange(out.buffer(), out.payloadOffset(), out.length()))
        .isEqualTo(RtpBuilder.hex("cc cc cc"));
    assertThat(sub.rtp).hasSize(1);
    assertThat(plain.droppedMalformedRed()).isEqualTo(1);
    assertThat(plain.redUnwrapped()).isEqualTo(1);
  }
}
