package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a peer's answer to an offer of ours (RFC 8829 §5.10, RFC 3264 §6): what each m-line carries
 * from our side now, and the peer's transport. Strict: an answer that does not match our offer
 * m-line for m-line is refused rather than guessed at.
 */
final class AnswerReader {
  private AnswerReader() {}

  static SdpAnswer read(
      SessionDescription offer, List<OfferSection> sections, SessionDescription answer)
      throws SdpParseException {
    Map<String, LocalTrack> tracks = new LinkedHashMap<>();
    for (OfferSection s : sections) {
      if (s.track() != null) {
        tracks.put(s.mid(), s.track());
      }
    }
    List<MediaDescription> ours = offer.media();
    List<MediaDescription> theirs = answer.media();
    if (ours.size() != theirs.size()) {
      throw new SdpParseException(
          "the answer has " + theirs.size() + " m-lines for the offer's " + ours.size());
    }
    List<NegotiatedMedia> negotiated = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    MediaDescription tag = null;
    for (int i = 0; i < ours.size(); i++) {
      MediaDescription o = ours.get(i);
      MediaDescription a = theirs.get(i);
      if (a.mid() == null || !a.mid().equals(o.mid()) || a.kind() != o.kind()) {
        throw new SdpParseException("answer m-line " + (i + 1) + " is not the offer's " + o.mid());
      }
      if (a.isRejected()) {
        rejected.add(a.mid());
        continue;
      }
      if (tag == null) {
        tag = a;
      }
      negotiated.add(
          a.kind() == MediaKind.APPLICATION ? data(a) : media(o, a, tracks.get(a.mid())));
    }
    if (tag == null) {
      throw new SdpParseException("the answer rejects every m-line");
    }
    return new SdpAnswer(answer, negotiated, rejected, remote(answer, tag), ourSetup(answer, tag));
  }

  private static SdpAnswer.RemoteTransport remote(SessionDescription s, MediaDescription tag)
      throws SdpParseException {
    String ufrag = tag.iceUfrag() != null ? tag.iceUfrag() : s.iceUfrag();
    String pwd = tag.icePwd() != null ? tag.icePwd() : s.icePwd();
    List<Fingerprint> fps = tag.fingerprints().isEmpty() ? s.fingerprints() : tag.fingerprints();
    if (ufrag == null || pwd == null) {
      throw new SdpParseException("the answer has no ICE credentials");
    }
    if (fps.isEmpty()) {
      throw new SdpParseException("the answer has no DTLS fingerprint");
    }
    return new SdpAnswer.RemoteTransport(ufrag, pwd, fps);
  }

  /** RFC 8842 §5.3: the answerer picks active or passive; we take the other role. */
  private static Setup ourSetup(SessionDescription s, MediaDescription tag)
      throws SdpParseException {
    Setup theirs = tag.setup() != null ? tag.setup() : s.setup();
    if (theirs == null || theirs == Setup.ACTIVE) {
      return Setup.PASSIVE; // absent in an answer means active (RFC 4145 §4)
    }
    if (theirs == Setup.PASSIVE) {
      return Setup.ACTIVE;
    }
    throw new SdpParseException("an answer may not say a=setup:" + theirs.name().toLowerCase());
  }

  private static NegotiatedMedia media(MediaDescription o, MediaDescription a, LocalTrack sent)
      throws SdpParseException {
    for (String f : a.formats()) {
      if (!o.formats().contains(f)) {
        throw new SdpParseException("the answer's payload type " + f + " was not offered");
      }
    }
    RtpCodec primary = null;
    for (String f : a.formats()) {
      RtpCodec c = o.codec(Integer.parseInt(f));
      if (c != null && !c.is("rtx") && !c.is("red") && !c.is("ulpfec")) {
        primary = c;
        break;
      }
    }
    if (primary == null) {
      throw new SdpParseException("m-line " + a.mid() + " keeps no codec of the offer");
    }
    int rtx = NegotiatedCodec.NO_RTX;
    for (String f : a.formats()) {
      RtpCodec c = o.codec(Integer.parseInt(f));
      if (c != null
          && c.is("rtx")
          && String.valueOf(primary.payloadType()).equals(c.fmtpParameters().get("apt"))) {
        rtx = c.payloadType();
      }
    }
    RtpCodec answered = a.codec(primary.payloadType());
    List<String> feedback = new ArrayList<>();
    for (String fb : primary.rtcpFeedback()) {
      if (answered == null || answered.rtcpFeedback().contains(fb)) {
        feedback.add(fb);
      }
    }
    Map<String, Integer> extensions = new LinkedHashMap<>();
    for (Extmap e : a.extmaps()) {
      for (Extmap mine : o.extmaps()) {
        if (mine.id() == e.id() && mine.uri().equals(e.uri())) {
          extensions.put(e.uri(), e.id());
        }
      }
    }
    Direction ours =
        o.effectiveDirection() == Direction.SENDONLY && a.effectiveDirection().receives()
            ? Direction.SENDONLY
            : Direction.INACTIVE;
    LocalTrack track = ours == Direction.SENDONLY ? sent : null;
    return new NegotiatedMedia(
        a.mid(),
        a.kind(),
        ours,
        List.of(
            new NegotiatedCodec(
                primary.name(),
                primary.payloadType(),
                primary.clockRate(),
                primary.channels(),
                primary.fmtp(),
                rtx,
                feedback)),
        extensions,
        List.of(),
        Map.of(),
        List.of(),
        null,
        null,
        track,
        o.rtcpRsize() && a.rtcpRsize(),
        null);
  }

  private static NegotiatedMedia data(MediaDescription a) {
    return NegotiatedMedia.dataChannel(
        a.mid(), AnswerPolicy.DEFAULT_SCTP_PORT, a.sctpPort(), a.maxMessageSize());
  }
}
