package eu.visio.sfu;

import static eu.visio.sfu.Streams.MS;
import static eu.visio.sfu.Streams.PUB_AUDIO_SSRC;
import static eu.visio.sfu.Streams.PUB_RTX_SSRC;
import static eu.visio.sfu.Streams.PUB_VIDEO_SSRC;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.rtcp.FullIntraRequest;
import eu.visio.media.rtcp.GenericNack;
import eu.visio.media.rtcp.PictureLossIndication;
import eu.visio.media.rtcp.ReceiverReport;
import eu.visio.media.rtcp.RtcpCompound;
import eu.visio.media.rtcp.RtcpPacket;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtcp.SourceDescription;
import eu.visio.media.rtp.RtpPacket;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Untrusted bytes from publishers and subscribers (already decrypted, so an authenticated peer can
 * send anything): nothing throws, drops are counted, and whatever is forwarded is still valid.
 */
class MalformedInputTest {
  private static final int SUB_SSRC = 0x2000_0001;
  private static final int SUB_NO_RTX_SSRC = 0x2000_0011;
  private static final int SUB_AUDIO_SSRC = 0x2000_0003;

  /** A publisher with three started down tracks: video with RTX, video without, audio. */
  private static final class Room {
    final DropCounters drops = new DropCounters();
    final Broadcast broadcast = new Broadcast("s");
    final Streams.Pub pub = new Streams.Pub("p", drops, Streams.scratch());
    final RecordingSink sink = new RecordingSink();
    final Subscriber subscriber = new Subscriber("sub", drops);

    Room() {
      broadcast.setPublisher(pub.publisher, 0);
      for (DownTrack d :
          List.of(
              new DownTrack("v", Streams.subscriberVideo(SUB_SSRC, 0x2000_0002), sink),
              new DownTrack("w", Streams.subscriberVideo(SUB_NO_RTX_SSRC, 0), sink),
              new DownTrack("a", Streams.subscriberAudio(SUB_AUDIO_SSRC), sink))) {
        subscriber.addDownTrack(d);
        broadcast.addDownTrack(d, 0);
      }
      pub.video(1, 0, Streams.VP8_KEY, 0);
      pub.audio(1, 0, 0);
      sink.clear();
      pub.sink.clear();
    }

    /** Every packet forwarded to the subscriber parses, and every RTCP to the publisher too. */
    void assertOutputValid() {
      for (int i = 0; i < sink.rtp.size(); i++) {
        RtpPacket p = sink.rtp(i);
        assertThat(p.ssrc()).isIn(SUB_SSRC, 0x2000_0002, SUB_NO_RTX_SSRC, SUB_AUDIO_SSRC);
      }
      sink.rtcpPackets();
      pub.sink.rtcpPackets();
    }
  }

  @Property(tries = 2000)
  void publisherGarbageIsCountedAsMalformedOrUnknown(@ForAll @Size(max = 1500) byte[] data) {
    Room room = new Room();
    room.pub.publisher.onRtp(data, 0, data.length, MS);
    RtpPacket p = new RtpPacket();
    if (!p.wrap(data, 0, data.length)) {
      assertThat(room.drops.count(DropReason.MALFORMED_RTP)).isEqualTo(1);
    } else if (p.ssrc() != PUB_VIDEO_SSRC
        && p.ssrc() != PUB_RTX_SSRC
        && p.ssrc() != PUB_AUDIO_SSRC) {
      assertThat(room.drops.count(DropReason.UNKNOWN_SSRC)).isEqualTo(1);
    }
    room.assertOutputValid();
  }

  /**
   * Valid headers on the publisher's own SSRCs with random payload types, header bits, extension
   * blocks and payloads: forwarding, RTX unwrapping and extension rewriting never throw and never
   * produce an unparseable packet.
   */
  @Property(tries = 3000)
  void randomPacketsOnKnownSsrcsForwardAsValidRtp(
      @ForAll @IntRange(min = 0, max = 2) int stream,
      @ForAll @IntRange(min = 0, max = 4) int ptChoice,
      @ForAll @IntRange(min = 0, max = 127) int randomPt,
      @ForAll boolean padding,
      @ForAll boolean extension,
      @ForAll @IntRange(min = 0, max = 3) int csrcs,
      @ForAll boolean twoByte,
      @ForAll @Size(min = 0, max = 300) byte[] rest) {
    Room room = new Room();
    int ssrc = new int[] {PUB_VIDEO_SSRC, PUB_RTX_SSRC, PUB_AUDIO_SSRC}[stream];
    // Mostly the stream's own payload type, so that packets get past the type check.
    int pt = ptChoice == 0 ? randomPt : new int[] {96, 97, 111}[stream];
    byte[] b = new byte[12 + rest.length];
    b[0] = (byte) (0x80 | (padding ? 0x20 : 0) | (extension ? 0x10 : 0) | csrcs);
    b[1] = (byte) pt;
    b[2] = 0;
    b[3] = 2; // seq 2: just after the keyframe
    b[8] = (byte) (ssrc >>> 24);
    b[9] = (byte) (ssrc >>> 16);
    b[10] = (byte) (ssrc >>> 8);
    b[11] = (byte) ssrc;
    System.arraycopy(rest, 0, b, 12, rest.length);
    int ext = 12 + 4 * (b[0] & 0x0F);
    if ((b[0] & 0x10) != 0 && ext + 4 <= b.length) {
      b[ext] = (byte) (twoByte ? 0x10 : 0xBE);
      b[ext + 1] = (byte) (twoByte ? 0x00 : 0xDE);
      b[ext + 2] = 0;
      b[ext + 3] = (byte) Math.min(3, (b.length - ext - 4) / 4);
    }
    if (padding && rest.length > 0) { // a plausible padding count
      b[b.length - 1] = (byte) (1 + Math.floorMod(b[b.length - 1], Math.min(rest.length, 32)));
    }
    room.pub.publisher.onRtp(b, 0, b.length, 10 * MS);
    room.assertOutputValid();
    Statistics.collect(room.sink.rtp.isEmpty() ? "nothing forwarded" : "forwarded");
    // The property is only worth something if the forwarding paths actually run. Random VP8
    // payloads often fail the descriptor check (counted as malformed), hence the modest bar.
    Statistics.coverage(c -> c.check("forwarded").percentage(p -> p > 15));
  }

  @Property(tries = 2000)
  void subscriberGarbageNeverThrows(@ForAll @Size(max = 200) byte[] data) {
    Room room = new Room();
    room.subscriber.onRtcp(data, 0, data.length, MS);
    room.assertOutputValid();
  }

  /** PSFB/RTPFB shorter than the 12 bytes that hold both SSRCs: counted, never acted upon. */
  @Property(tries = 500)
  void truncatedFeedbackIsCounted(
      @ForAll("feedbackTypes") int pt,
      @ForAll @IntRange(min = 0, max = 31) int fmt,
      @ForAll @IntRange(min = 0, max = 1) int words,
      @ForAll @Size(8) byte[] filler) {
    Room room = new Room();
    int len = 4 * (words + 1);
    byte[] b = new byte[len];
    System.arraycopy(filler, 0, b, 0, len);
    b[0] = (byte) (0x80 | fmt);
    b[1] = (byte) pt;
    b[2] = 0;
    b[3] = (byte) words;
    room.subscriber.onRtcp(b, 0, b.length, 1000 * MS);
    assertThat(room.drops.count(DropReason.MALFORMED_RTCP)).isEqualTo(1);
    assertThat(room.pub.sink.rtcp).isEmpty();
  }

  @Provide
  Arbitrary<Integer> feedbackTypes() {
    return Arbitraries.of(205, 206);
  }

  /** A browser-like compound (RR, PLI, FIR, NACK) with random bytes overwritten and cut short. */
  @Property(tries = 3000)
  void mutatedFeedbackNeverThrows(
      @ForAll("mutations") int[] flips, @ForAll @IntRange(min = 0, max = 60) int cut) {
    Room room = new Room();
    List<RtcpPacket> compound =
        List.of(
            new ReceiverReport(7, List.of()),
            new PictureLossIndication(7, SUB_SSRC),
            new FullIntraRequest(7, List.of(new FullIntraRequest.Entry(SUB_SSRC, 3))),
            GenericNack.fromLost(7, SUB_NO_RTX_SSRC, List.of(1, 2, 40)));
    byte[] b = mutate(compound, flips);
    room.subscriber.onRtcp(b, 0, Math.max(0, b.length - cut), 1000 * MS);
    room.assertOutputValid();
  }

  @Property(tries = 2000)
  void publisherRtcpGarbageNeverThrows(@ForAll @Size(max = 200) byte[] data) {
    Room room = new Room();
    room.pub.publisher.onRtcp(data, 0, data.length, MS);
    room.assertOutputValid();
  }

  @Property(tries = 2000)
  void mutatedSenderReportsNeverThrow(
      @ForAll("mutations") int[] flips, @ForAll @IntRange(min = 0, max = 40) int cut) {
    Room room = new Room();
    List<RtcpPacket> compound =
        List.of(
            new SenderReport(PUB_VIDEO_SSRC, 1L << 40, 5, 6, 7, List.of()),
            SourceDescription.cname(PUB_VIDEO_SSRC, "x"));
    byte[] b = mutate(compound, flips);
    room.pub.publisher.onRtcp(b, 0, Math.max(0, b.length - cut), 1000 * MS);
    room.assertOutputValid();
  }

  @Provide
  Arbitrary<int[]> mutations() {
    return Arbitraries.integers().between(0, 255).array(int[].class).ofMinSize(0).ofMaxSize(12);
  }

  private static byte[] mutate(List<RtcpPacket> compound, int[] flips) {
    byte[] b = new byte[RtcpCompound.length(compound)];
    RtcpCompound.write(b, 0, compound);
    for (int i = 0; i + 1 < flips.length; i += 2) {
      b[Math.floorMod(flips[i] * 7, b.length)] = (byte) flips[i + 1];
    }
    return b;
  }
}
