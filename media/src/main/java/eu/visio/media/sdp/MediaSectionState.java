package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parser state of one media section: the builder plus payload formats and sources keyed by id,
 * folded into {@link RtpCodec} and {@link Ssrc} records when the section ends.
 */
final class MediaSectionState {
  final MediaDescription.Builder builder;
  final Map<Integer, RtpCodec> codecs = new LinkedHashMap<>();
  final Set<Integer> fmtpSeen = new HashSet<>();
  final Map<Long, List<Attribute>> ssrcs = new LinkedHashMap<>();

  MediaSectionState(MediaDescription.Builder builder) {
    this.builder = builder;
  }

  static MediaSectionState parseMLine(String v, int line) throws SdpParseException {
    List<String> t = Tokens.split(v, ' ');
    MediaKind kind = t.size() >= 4 ? MediaKind.fromToken(t.get(0)) : null;
    long port = t.size() >= 4 ? Tokens.parseDecimal(t.get(1), 0, 65535) : -1;
    if (kind == null || port < 0 || !isProto(t.get(2))) {
      throw SdpParseException.atLine(line, "bad m= line");
    }
    boolean rtp = t.get(2).contains("RTP");
    Set<String> seen = new HashSet<>();
    for (String f : t.subList(3, t.size())) {
      boolean ok = rtp ? Tokens.parseDecimal(f, 0, 127) >= 0 : Tokens.isToken(f);
      if (!ok || !seen.add(f)) {
        throw SdpParseException.atLine(line, "bad m= line format");
      }
    }
    return new MediaSectionState(
        new MediaDescription.Builder(kind, (int) port, t.get(2), t.subList(3, t.size())));
  }

  /** RFC 8866 section 9: {@code proto = token *("/" token)}. */
  private static boolean isProto(String proto) {
    for (String piece : Tokens.splitKeepEmpty(proto, '/')) {
      if (!Tokens.isToken(piece)) {
        return false;
      }
    }
    return true;
  }

  private int payloadType(String text, int line) throws SdpParseException {
    long pt = Tokens.parseDecimal(text, 0, 127);
    if (pt < 0 || !builder.formats.contains(text)) {
      throw SdpParseException.atLine(line, "payload type not in m= line");
    }
    return (int) pt;
  }

  private RtpCodec current(int pt) {
    RtpCodec c = codecs.get(pt);
    return c != null ? c : new RtpCodec(pt, null, 0, 0, null, List.of());
  }

  void rtpmap(RtpCodec parsed, int line) throws SdpParseException {
    payloadType(Integer.toString(parsed.payloadType()), line);
    RtpCodec c = current(parsed.payloadType());
    if (c.name() != null) {
      throw SdpParseException.atLine(line, "duplicate rtpmap");
    }
    codecs.put(
        c.payloadType(),
        new RtpCodec(
            c.payloadType(),
            parsed.name(),
            parsed.clockRate(),
            parsed.channels(),
            c.fmtp(),
            c.rtcpFeedback()));
  }

  void fmtp(String v, int line) throws SdpParseException {
    int sp = v.indexOf(' ');
    int pt = payloadType(sp < 0 ? v : v.substring(0, sp), line);
    String params = sp < 0 ? "" : v.substring(sp + 1).trim();
    if (params.isEmpty() || !fmtpSeen.add(pt)) {
      throw SdpParseException.atLine(line, "bad or duplicate fmtp");
    }
    RtpCodec c = current(pt);
    codecs.put(
        pt, new RtpCodec(pt, c.name(), c.clockRate(), c.channels(), params, c.rtcpFeedback()));
  }

  void rtcpFb(String v, int line) throws SdpParseException {
    int sp = v.indexOf(' ');
    int pt = payloadType(sp < 0 ? v : v.substring(0, sp), line);
    String fb = sp < 0 ? "" : String.join(" ", Tokens.split(v.substring(sp + 1), ' '));
    if (fb.isEmpty()) {
      throw SdpParseException.atLine(line, "bad rtcp-fb");
    }
    RtpCodec c = current(pt);
    List<String> all = new ArrayList<>(c.rtcpFeedback());
    all.add(fb);
    codecs.put(pt, new RtpCodec(pt, c.name(), c.clockRate(), c.channels(), c.fmtp(), all));
  }

  void ssrc(String v, int line) throws SdpParseException {
    long id = Ssrc.parseId(v, line);
    Attribute a = Ssrc.parseAttribute(v);
    if (!Tokens.isToken(a.name())) {
      throw SdpParseException.atLine(line, "bad ssrc attribute");
    }
    List<Attribute> list = ssrcs.get(id);
    if (list == null) {
      if (ssrcs.size() >= 64) {
        throw SdpParseException.atLine(line, "too many ssrcs");
      }
      list = new ArrayList<>();
      ssrcs.put(id, list);
    }
    list.add(a);
  }

  MediaDescription build() {
    for (String f : builder.formats) {
      long pt = Tokens.parseDecimal(f, 0, 127);
      RtpCodec c = pt < 0 ? null : codecs.get((int) pt);
      if (c != null) {
        builder.codecs.add(c);
      }
    }
    for (Map.Entry<Long, List<Attribute>> e : ssrcs.entrySet()) {
      builder.ssrcs.add(new Ssrc(e.getKey(), e.getValue()));
    }
    return builder.build();
  }
}
