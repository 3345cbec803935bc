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
   * Builds a one-time offer.
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
    List<OfferSection> sections = new ArrayList<>();
    for (LocalTrack t : tracks) {
      sections.add(new OfferSection(Integer.toString(sections.size()), t.kind(), t));
    }
    if (dataChannel) {
      sections.add(
          new OfferSection(Integer.toString(sections.size()), MediaKind.APPLICATION, null));
    }
    return offer(local, sections, Long.toString(RANDOM.nextLong() & Long.MAX_VALUE), 1);
  }

  /**
   * Builds an offer of a session we renegotiate: {@code sections} in their order with their mids (a
   * later offer keeps every earlier m-line, RFC 8829 §5.2.2), every m-line in one BUNDLE group,
   * {@code a=setup:actpass} (RFC 8842 §5.2; browsers keep their role on re-offers), candidates on
   * the first. A section without a track is offered {@code inactive} with its kind's default codec,
   * ready for another track. New ICE credentials in {@code local} restart ICE (RFC 8839 §4.4.1.1).
   *
   * @param sessionId the o= session id, the same for every offer of the session
   * @param version the o= version, one more than the previous offer's (RFC 3264 §8)
   */
  public static SessionDescription offer(
      LocalTransportParams local, List<OfferSection> sections, String sessionId, long version) {
    if (sections.isEmpty()) {
      throw new IllegalArgumentException("an offer needs an m-line");
    }
    String[] def = local.defaultAddress();
    int port = def == null ? 9 : Integer.parseInt(def[1]);
    Connection conn = def == null ? Connection.ANY_IP4 : Connection.of(def[0]);
    List<MediaDescription> media = new ArrayList<>();
    List<String> mids = new ArrayList<>();
    for (OfferSection s : sections) {
      if (mids.contains(s.mid())) {
        throw new IllegalArgumentException("duplicate mid " + s.mid());
      }
      mids.add(s.mid());
      if (s.kind() == MediaKind.APPLICATION) {
        media.add(
            MediaDescription.builder(
                    MediaKind.APPLICATION, port, "UDP/DTLS/SCTP", List.of("webrtc-datachannel"))
                .connection(conn)
                .transport(local.iceUfrag(), local.icePwd(), local.fingerprint(), Setup.ACTPASS)
                .mid(s.mid())
                .sctp(AnswerPolicy.DEFAULT_SCTP_PORT, AnswerPolicy.DEFAULT_MAX_MESSAGE_SIZE)
                .build());
      } else {
        media.add(trackSection(s, port, conn, local));
      }
    }
    if (!local.candidates().isEmpty()) {
      media.set(0, media.getFirst().toBuilder().candidates(local.candidates(), true).build());
    }
    SessionDescription.Builder sb =
        SessionDescription.builder(Origin.of(sessionId, Long.toString(version)))
            .group(new Group("BUNDLE", mids))
            .iceLite(local.iceLite())
            .msidSemantic("WMS");
    for (MediaDescription m : media) {
      sb.media(m);
    }
    return sb.build();
  }

  /**
   * Reads the peer's answer to {@code offer}, which was built from {@code sections}: per accepted
   * m-line what we send (the section's track, unless the peer declined it) with the codec, RTX and
   * header extensions it kept, its transport parameters, and our DTLS role (RFC 8842 §5.3).
   *
   * @throws SdpParseException when the answer does not match the offer m-line for m-line, offers
   *     {@code actpass}, keeps payload types we did not offer, or lacks ICE or DTLS parameters
   */
  public static SdpAnswer accept(
      SessionDescription offer, List<OfferSection> sections, SessionDescription answer)
      throws SdpParseException {
    return AnswerReader.read(offer, sections, answer);
  }

  private static MediaDescription trackSection(
      OfferSection s, int port, Connection conn, LocalTransportParams local) {
    LocalTrack t = s.track();
    List<CodecId> offered =
        t != null ? t.codecs() : List.of(s.kind() == MediaKind.AUDIO ? CodecId.OPUS : CodecId.VP8);
    boolean rtxOffered = t == null ? s.kind() == MediaKind.VIDEO : t.rtxSsrc() != 0;
    String mid = s.mid();
    List<String> formats = new ArrayList<>();
    List<RtpCodec> codecs = new ArrayList<>();
    for (CodecId c : offered) {
      int pt = payloadType(c);
      formats.add(Integer.toString(pt));
      List<String> fb = c.kind() == MediaKind.AUDIO ? List.of("transport-cc") : VIDEO_FEEDBACK;
      codecs.add(
          new RtpCodec(pt, c.encodingName(), c.clockRate(), c.channels(), c.defaultFmtp(), fb));
      int rtx = rtxPayloadType(c);
      if (rtx >= 0 && rtxOffered) {
        formats.add(Integer.toString(rtx));
        codecs.add(new RtpCodec(rtx, "rtx", c.clockRate(), 0, "apt=" + pt, List.of()));
      }
    }
    MediaDescription.Builder b =
        MediaDescription.builder(s.kind(), port, "UDP/TLS/RTP/SAVPF", formats)
            .connection(conn)
            .transport(local.iceUfrag(), local.icePwd(), local.fingerprint(), Setup.ACTPASS)
            .mid(mid);
    if (s.kind() == MediaKind.AUDIO) {
      b.extmap(new Extmap(1, RtpExtensions.AUDIO_LEVEL));
    }
    b.extmap(new Extmap(2, RtpExtensions.ABS_SEND_TIME))
        .extmap(new Extmap(3, RtpExtensions.TRANSPORT_CC))
        .extmap(new Extmap(4, RtpExtensions.MID));
    if (s.kind() == MediaKind.VIDEO) {
      b.extmap(new Extmap(12, RtpExtensions.DEPENDENCY_DESCRIPTOR))
          .extmap(new Extmap(13, RtpExtensions.VIDEO_ORIENTATION));
    }
    b.direction(t == null ? Direction.INACTIVE : Direction.SENDONLY).rtcpMux(true).rtcpRsize(true);
    for (RtpCodec c : codecs) {
      b.codec(c);
    }
    if (t == null) {
      return b.build();
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
