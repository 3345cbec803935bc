package eu.visio.loadtest.janus;

import eu.visio.media.sdp.Extmap;
import eu.visio.media.sdp.MediaDescription;
import eu.visio.media.sdp.MediaKind;
import eu.visio.media.sdp.RtpCodec;
import eu.visio.media.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A subscribing bot's answer to Janus's offer, as a browser would make it but with only what the
 * bots' receivers handle: every audio or video section Janus sends on is received ({@code
 * recvonly}) with Opus, or VP8 and its RTX, at Janus's payload types; anything else (data channels,
 * other codecs) is refused. It keeps the offer's {@code mid} header extension, and transport-cc
 * when Janus numbers it as the receivers read it (then they send transport-cc feedback, as they do
 * to our server); no other extension, whose id could collide with those.
 */
public final class AnswerWriter {
  /** The transport-cc extension id the bots' receivers read ({@code RtpOut.EXT_TRANSPORT_CC}). */
  static final int TRANSPORT_CC_ID = 3;

  static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
  static final String TRANSPORT_CC_URI =
      "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

  private AnswerWriter() {}

  /**
   * @param setup our {@code a=setup}: {@code active} (we are the DTLS client) or {@code passive}
   * @param fingerprint "sha-256 AB:CD:..."
   */
  public static String write(
      SessionDescription offer, String ufrag, String pwd, String fingerprint, String setup) {
    StringBuilder media = new StringBuilder();
    List<String> bundle = new ArrayList<>();
    for (MediaDescription m : offer.media()) {
      List<RtpCodec> codecs = accepted(m);
      if (m.port() == 0 || codecs.isEmpty() || m.mid() == null) {
        refuse(media, m);
        continue;
      }
      bundle.add(m.mid());
      media.append("m=").append(m.kind().token()).append(" 9 UDP/TLS/RTP/SAVPF");
      for (RtpCodec c : codecs) {
        media.append(' ').append(c.payloadType());
      }
      media
          .append("\r\nc=IN IP4 0.0.0.0\r\n")
          .append("a=rtcp:9 IN IP4 0.0.0.0\r\n")
          .append("a=ice-ufrag:")
          .append(ufrag)
          .append("\r\na=ice-pwd:")
          .append(pwd)
          .append("\r\na=fingerprint:")
          .append(fingerprint)
          .append("\r\na=setup:")
          .append(setup)
          .append("\r\na=mid:")
          .append(m.mid())
          .append("\r\n");
      boolean twcc = false;
      for (Extmap e : m.extmaps()) {
        boolean keep = e.uri().equals(MID_URI);
        if (e.uri().equals(TRANSPORT_CC_URI) && e.id() == TRANSPORT_CC_ID) {
          keep = true;
          twcc = true;
        }
        if (keep) {
          media.append("a=extmap:").append(e.id()).append(' ').append(e.uri()).append("\r\n");
        }
      }
      media.append(receives(m) ? "a=recvonly\r\n" : "a=inactive\r\n");
      media.append("a=rtcp-mux\r\na=rtcp-rsize\r\n");
      for (RtpCodec c : codecs) {
        media
            .append("a=rtpmap:")
            .append(c.payloadType())
            .append(' ')
            .append(c.name())
            .append('/')
            .append(c.clockRate());
        if (c.channels() > 1) {
          media.append('/').append(c.channels());
        }
        media.append("\r\n");
        if (twcc && !c.name().equalsIgnoreCase("rtx")) {
          media.append("a=rtcp-fb:").append(c.payloadType()).append(" transport-cc\r\n");
        }
        if (c.name().equalsIgnoreCase("VP8")) {
          media
              .append("a=rtcp-fb:")
              .append(c.payloadType())
              .append(" nack\r\na=rtcp-fb:")
              .append(c.payloadType())
              .append(" nack pli\r\na=rtcp-fb:")
              .append(c.payloadType())
              .append(" ccm fir\r\n");
        }
        if (c.fmtp() != null) {
          media
              .append("a=fmtp:")
              .append(c.payloadType())
              .append(' ')
              .append(c.fmtp())
              .append("\r\n");
        }
      }
    }
    return "v=0\r\n"
        + "o=- 4611731400430051337 1 IN IP4 127.0.0.1\r\n"
        + "s=-\r\n"
        + "t=0 0\r\n"
        + (bundle.isEmpty() ? "" : "a=group:BUNDLE " + String.join(" ", bundle) + "\r\n")
        + "a=msid-semantic: WMS\r\n"
        + media;
  }

  /** Whether the offer sends on {@code m} (so that we receive). */
  private static boolean receives(MediaDescription m) {
    return switch (m.effectiveDirection()) {
      case SENDONLY, SENDRECV -> true;
      default -> false;
    };
  }

  /**
   * The offered formats the bots take, in the offer's order: Opus for audio; VP8 and the RTX that
   * repairs an accepted VP8 for video.
   */
  static List<RtpCodec> accepted(MediaDescription m) {
    List<RtpCodec> out = new ArrayList<>();
    if (m.kind() == MediaKind.AUDIO) {
      for (RtpCodec c : m.codecs()) {
        if (c.name().equalsIgnoreCase("opus")) {
          out.add(c);
          break;
        }
      }
    } else if (m.kind() == MediaKind.VIDEO) {
      RtpCodec vp8 = null;
      for (RtpCodec c : m.codecs()) {
        if (c.name().equalsIgnoreCase("VP8")) {
          vp8 = c;
          out.add(c);
          break;
        }
      }
      if (vp8 != null) {
        String apt = "apt=" + vp8.payloadType();
        for (RtpCodec c : m.codecs()) {
          if (c.name().equalsIgnoreCase("rtx")
              && c.fmtp() != null
              && c.fmtp().toLowerCase(Locale.ROOT).replace(" ", "").contains(apt)) {
            out.add(c);
            break;
          }
        }
      }
    }
    return out;
  }

  private static void refuse(StringBuilder media, MediaDescription m) {
    media
        .append("m=")
        .append(m.kind() == null ? "application" : m.kind().token())
        .append(" 0 ")
        .append(m.proto())
        .append(' ')
        .append(m.formats().isEmpty() ? "0" : String.join(" ", m.formats()))
        .append("\r\nc=IN IP4 0.0.0.0\r\n");
    if (m.mid() != null) {
      media.append("a=mid:").append(m.mid()).append("\r\n");
    }
    media.append("a=inactive\r\n");
  }
}
