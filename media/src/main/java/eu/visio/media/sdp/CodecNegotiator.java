package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Picks one codec per m-line from an offer, with its RTX (RFC 4588) and, for Opus, RED (RFC 2198),
 * keeping the offerer's payload type numbers as RFC 3264 section 6.1 requires for answers.
 */
final class CodecNegotiator {
  /** Feedback the SFU implements or forwards (RFC 4585, RFC 5104, goog-remb, transport-cc). */
  static final Set<String> FEEDBACK =
      Set.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");

  /**
   * The negotiation outcome.
   *
   * @param negotiated summary codecs, primary first
   * @param answerCodecs payload formats to write into the answer
   * @param formats the answer's m= line formats
   */
  record Result(
      List<NegotiatedCodec> negotiated, List<RtpCodec> answerCodecs, List<String> formats) {
    int rtxPayloadType() {
      return negotiated.getFirst().rtxPayloadType();
    }
  }

  private CodecNegotiator() {}

  /** The best offered codec in preference order, or null when none is acceptable. */
  static Result negotiate(MediaDescription offer, List<CodecId> preference, boolean acceptRed) {
    RtpCodec best = null;
    for (CodecId id : preference) {
      if (id.kind() != offer.kind()) {
        continue;
      }
      int bestRank = Integer.MAX_VALUE;
      for (RtpCodec c : offer.codecs()) {
        int r = id.rank(c);
        if (r >= 0 && r < bestRank) {
          best = c;
          bestRank = r;
        }
      }
      if (best != null) {
        break;
      }
    }
    if (best == null) {
      return null;
    }
    RtpCodec rtx = findRtx(offer, best);
    RtpCodec red = acceptRed && best.is("opus") ? findRed(offer, best.payloadType()) : null;
    List<NegotiatedCodec> negotiated = new ArrayList<>();
    List<RtpCodec> codecs = new ArrayList<>();
    List<String> formats = new ArrayList<>();
    List<String> feedback = new ArrayList<>();
    for (String fb : best.rtcpFeedback()) {
      if (FEEDBACK.contains(fb)) {
        feedback.add(fb);
      }
    }
    RtpCodec primary =
        new RtpCodec(
            best.payloadType(),
            best.name(),
            best.clockRate(),
            best.channels(),
            best.fmtp(),
            feedback);
    add(
        primary,
        rtx == null ? NegotiatedCodec.NO_RTX : rtx.payloadType(),
        negotiated,
        codecs,
        formats);
    if (red != null) {
      add(red, NegotiatedCodec.NO_RTX, negotiated, codecs, formats);
    }
    if (rtx != null) {
      codecs.add(withoutFeedback(rtx));
      formats.add(Integer.toString(rtx.payloadType()));
    }
    return new Result(negotiated, codecs, formats);
  }

  private static void add(
      RtpCodec c,
      int rtxPt,
      List<NegotiatedCodec> negotiated,
      List<RtpCodec> codecs,
      List<String> formats) {
    negotiated.add(
        new NegotiatedCodec(
            c.name(),
            c.payloadType(),
            c.clockRate(),
            c.channels(),
            c.fmtp(),
            rtxPt,
            c.rtcpFeedback()));
    codecs.add(c);
    formats.add(Integer.toString(c.payloadType()));
  }

  private static RtpCodec withoutFeedback(RtpCodec c) {
    return new RtpCodec(
        c.payloadType(), c.name(), c.clockRate(), c.channels(), c.fmtp(), List.of());
  }

  /** The offered {@code rtx} format whose {@code apt} names the primary (RFC 4588 section 8.6). */
  private static RtpCodec findRtx(MediaDescription offer, RtpCodec primary) {
    String apt = Integer.toString(primary.payloadType());
    for (RtpCodec c : offer.codecs()) {
      if (c.is("rtx")
          && c.clockRate() == primary.clockRate()
          && apt.equals(c.fmtpParameters().get("apt"))) {
        return c;
      }
    }
    return null;
  }

  /**
   * The offered audio {@code red} format whose fmtp only names the chosen Opus payload type, e.g.
   * {@code 111/111} (RFC 2198 section 5), without feedback.
   */
  private static RtpCodec findRed(MediaDescription offer, int opusPt) {
    String pt = Integer.toString(opusPt);
    for (RtpCodec c : offer.codecs()) {
      if (!c.is("red") || c.clockRate() != 48000 || c.fmtp() == null) {
        continue;
      }
      List<String> parts = Tokens.splitKeepEmpty(c.fmtp().trim(), '/');
      boolean onlyOpus = !parts.isEmpty();
      for (String p : parts) {
        onlyOpus &= p.equals(pt);
      }
      if (onlyOpus) {
        return withoutFeedback(c);
      }
    }
    return null;
  }
}
