package eu.visio.sfu;

import eu.visio.media.DropCounters;
import eu.visio.media.sdp.RtpExtensions;
import java.util.Map;

/**
 * Track descriptions and payloads shared by the forwarding tests: a publisher with VP8 (+RTX) and
 * Opus, and subscribers that negotiated other payload types, SSRCs and extension ids.
 */
final class Streams {
  private Streams() {}

  static final int PUB_VIDEO_SSRC = 0x1111_0001;
  static final int PUB_RTX_SSRC = 0x1111_0002;
  static final int PUB_AUDIO_SSRC = 0x1111_0003;
  static final int PUB_VP8_PT = 96;
  static final int PUB_RTX_PT = 97;
  static final int PUB_OPUS_PT = 111;

  static final int SUB_VP8_PT = 120;
  static final int SUB_RTX_PT = 121;
  static final int SUB_OPUS_PT = 109;

  /** Publisher's extension ids (Chrome's usual numbering). */
  static final Map<String, Integer> PUB_EXT =
      Map.of(
          RtpExtensions.ABS_SEND_TIME, 2,
          RtpExtensions.TRANSPORT_CC, 3,
          RtpExtensions.MID, 4,
          RtpExtensions.RTP_STREAM_ID, 10,
          RtpExtensions.REPAIRED_RTP_STREAM_ID, 11);

  /** A subscriber that swapped abs-send-time and transport-cc and moved mid. */
  static final Map<String, Integer> SUB_EXT =
      Map.of(
          RtpExtensions.ABS_SEND_TIME, 3,
          RtpExtensions.TRANSPORT_CC, 2,
          RtpExtensions.MID, 9);

  static final long MS = 1_000_000L;

  /** VP8, S=1 PID=0, frame tag P=0, start code: the first packet of a key frame (RFC 7741 §4.3). */
  static final String VP8_KEY = "10 500100 9d012a 0102030405";

  /** VP8, S=1 PID=0, frame tag P=1: the first packet of a delta frame. */
  static final String VP8_DELTA = "10 31 0203040506";

  static final String OPUS = "fc ff fe";

  static TrackInfo publisherVideo(boolean rtx) {
    return new TrackInfo(
        TrackKind.VIDEO,
        "VP8",
        90_000,
        PUB_VP8_PT,
        rtx ? PUB_RTX_PT : -1,
        PUB_VIDEO_SSRC,
        rtx ? PUB_RTX_SSRC : 0,
        PUB_EXT,
        "1");
  }

  static TrackInfo publisherAudio() {
    return new TrackInfo(
        TrackKind.AUDIO, "opus", 48_000, PUB_OPUS_PT, -1, PUB_AUDIO_SSRC, 0, PUB_EXT, "0");
  }

  static TrackInfo subscriberVideo(int ssrc, int rtxSsrc) {
    return new TrackInfo(
        TrackKind.VIDEO,
        "VP8",
        90_000,
        SUB_VP8_PT,
        rtxSsrc != 0 ? SUB_RTX_PT : -1,
        ssrc,
        rtxSsrc,
        SUB_EXT,
        "v");
  }

  static TrackInfo subscriberAudio(int ssrc) {
    return new TrackInfo(TrackKind.AUDIO, "opus", 48_000, SUB_OPUS_PT, -1, ssrc, 0, SUB_EXT, "a");
  }

  /** A publisher on a recording transport, with a VP8 (+RTX) and an Opus track. */
  static final class Pub {
    final RecordingSink sink = new RecordingSink();
    final DropCounters drops;
    final Publisher publisher;
    final PublishedTrack video;
    final PublishedTrack audio;

    Pub(String id, DropCounters drops, byte[] scratch) {
      this(id, drops, scratch, -1);
    }

    /** A publisher whose Opus may also come as RED under {@code redPt} (-1: no RED). */
    Pub(String id, DropCounters drops, byte[] scratch, int redPt) {
      this.drops = drops;
      publisher = new Publisher(id, sink, drops, scratch, 2_000_000);
      video = publisher.addTrack("v", publisherVideo(true));
      audio = publisher.addTrack("a", publisherAudio().withRed(redPt));
    }

    void video(int seq, int ts, String payload, long nowNanos) {
      byte[] b = RtpBuilder.rtp(PUB_VP8_PT, seq, ts, PUB_VIDEO_SSRC).payload(payload).build();
      publisher.onRtp(b, 0, b.length, nowNanos);
    }

    void audio(int seq, int ts, long nowNanos) {
      byte[] b = RtpBuilder.rtp(PUB_OPUS_PT, seq, ts, PUB_AUDIO_SSRC).payload(OPUS).build();
      publisher.onRtp(b, 0, b.length, nowNanos);
    }

    void send(byte[] b, long nowNanos) {
      publisher.onRtp(b, 0, b.length, nowNanos);
    }
  }

  static byte[] scratch() {
    return new byte[1500 + 20];
  }
}
