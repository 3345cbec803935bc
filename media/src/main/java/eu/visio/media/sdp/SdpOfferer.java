package eu.visio.media.sdp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an offer from this ICE-lite server (RFC 8829 section 5.2): one {@code sendonly} m-line per
 * track, all in one BUNDLE group with rtcp-mux and {@code a=setup:actpass} (RFC 8842 section 5.2),
 * plus an optional data channel m-line. Used when the server sends first, e.g. a WHEP session where
 * the server offers or a LiveKit-style subscriber connection.
 *
 * <p>Payload types follow Chrome's numbering so that browser answers keep familiar values.
 */
public final class SdpOfferer {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> VIDEO_FEEDBACK =
      List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");

  private SdpOfferer() {}

  /** Fixed payload types: a codec's primary and RTX numbers. */
  static int payloadType(CodecId c) {
    return switch (c) {
      case OPUS -> 111;
      case VP8 -> 96;
      case VP9 -> 98;
      case H264 -> 109;
      case AV1 -> 45;
    };
  }

  static int rtxPayloadType(CodecId c) {
    return switch (c) {
      case OPUS -> -1;
      case VP8 -> 97;
      case VP9 -> 99;
      case H264 -> 114;
      case AV1 -> 46;
    };
  }

  /**
   * Builds the offer.
   *
   * @param local our ICE credentials, fingerprint and candidates
   * @param tracks tracks to send; each gets an m-line with mid {@code "0"}, {@code "1"}... in order
   * @param dataChannel whether to add a {@code webrtc-datachannel} m-line last
   */
  public static SessionDescription offer(
      LocalTransportParams local, List<LocalTrack> tracks, boolean dataChannel) {
    if (tracks.isEmpty() && !dataChannel) {
      throw new IllegalArgumentException("an offer needs a track or a data channel");
    }
    String[] def = local.defaultAddress();
    int port = def == null ? 9 : Integer.parseInt(def[1]);
    Connection conn = def == null ? Connection.ANY_IP4 : Connection.of(def[0]);
    List<MediaDescription> media = new ArrayList<>();
    List<String> mids = new ArrayList<>();
    for (LocalTrack t : tracks) {
      String mid = Integer.toString(media.size());
      mids.add(mid);
      media.add(trackSection(t, mid, port, conn, local));
    }
    if (dataChannel) {
      String mid = Integer.toString(media.size());
      mids.add(mid);
      media.add(
          MediaDescription.builder(
                  MediaKind.APPLICATION, port, "UDP/DTLS/SCTP", List.of("webrtc-datachannel"))
              .connection(conn)
              .transport(local.iceUfrag(), local.icePwd(), local.fingerprint(), Setup.ACTPASS)
              .mid(mid)
              .sctp(AnswerPolicy.DEFAULT_SCTP_PORT, AnswerPolicy.DEFAULT_MAX_MESSAGE_SIZE)
              .build());
    }
    if (!local.candidates().isEmpty()) {
      media.set(0, media.getFirst().toBuilder().candidates(local.candidates(), true).build());
    }
    SessionDescription.Builder sb =
        SessionDescription.builder(
                Origin.of(Long.toString(RANDOM.nextLong() & Long.MAX_VALUE), "1"))
            .group(new Group("BUNDLE", mids))
            .iceLite(local.iceLite())
            .msidSemantic("WMS");
    for (MediaDescription m : media) {
      sb.media(m);
    }
    return sb.build();
  }

  private static MediaDescription trackSection(
      LocalTrack t, String mid, int port, Connection conn, LocalTransportParams local) {
    List<String> formats = new ArrayList<>();
    List<RtpCodec> codecs = new ArrayList<>();
    for (CodecId c : t.codecs()) {
      int pt = payloadType(c);
      formats.add(Integer.toString(pt));
      List<String> fb = c.kind() == MediaKind.AUDIO ? List.of("transport-cc") : VIDEO_FEEDBACK;
      codecs.add(
          new RtpCodec(pt, c.encodingName(), c.clockRate(), c.channels(), c.defaultFmtp(), fb));
      int rtx = rtxPayloadType(c);
      if (rtx >= 0 && t.rtxSsrc() != 0) {
        formats.add(Integer.toString(rtx));
        codecs.add(new RtpCodec(rtx, "rtx", c.clockRate(), 0, "apt=" + pt, List.of()));
      }
    }
    MediaDescription.Builder b =
        MediaDescription.builder(t.kind(), port, "UDP/TLS/RTP/SAVPF", formats)
            .connection(conn)
            .transport(local.iceUfrag(), local.icePwd(), local.fingerprint(), Setup.ACTPASS)
            .mid(mid);
    if (t.kind() == MediaKind.AUDIO) {
      b.extmap(new Extmap(1, RtpExtensions.AUDIO_LEVEL));
    }
    b.extmap(new Extmap(2, RtpExtensions.ABS_SEND_TIME))
        .extmap(new Extmap(3, RtpExtensions.TRANSPORT_CC))
        .extmap(new Extmap(4, RtpExtensions.MID));
    if (t.kind() == MediaKind.VIDEO) {
      b.extmap(new Extmap(12, RtpExtensions.DEPENDENCY_DESCRIPTOR))
          .extmap(new Extmap(13, RtpExtensions.VIDEO_ORIENTATION));
    }
    b.direction(Direction.SENDONLY).rtcpMux(true).rtcpRsize(true);
    for (RtpCodec c : codecs) {
      b.codec(c);
    }
    Msid msid = new Msid(t.streamId(), t.trackId());
    b.msid(msid);
    List<Attribute> attrs =
        List.of(new Attribute("cname", t.cname()), new Attribute("msid", msid.format()));
    if (t.rtxSsrc() != 0 && t.kind() == MediaKind.VIDEO) {
      b.ssrcGroup(new SsrcGroup("FID", List.of(t.ssrc(), t.rtxSsrc())));
      b.ssrc(new Ssrc(t.ssrc(), attrs)).ssrc(new Ssrc(t.rtxSsrc(), attrs));
    } else {
      b.ssrc(new Ssrc(t.ssrc(), attrs));
    }
    return b.build();
  }
}
