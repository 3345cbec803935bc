package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Line-oriented SDP parser (RFC 8866 section 9 grammar, JSEP RFC 8829 section 5.8 usage). Strict on
 * structure ({@code v= o= s=} first, known line types, well-formed typed attributes), lenient on
 * attributes it does not know, which are kept verbatim. Input size and counts are bounded so a
 * hostile offer costs little.
 */
final class SdpParser {
  // A subscriber's offer holds a receive section per remote track: Chrome writes ~160 lines for
  // a video section and ~30 for audio, so a meeting of 50 with cameras and microphones is ~100
  // sections and ~10,000 lines (fewer lines and sections refused such an offer, and the browser
  // then received only its first few cameras). The bounds leave room for a few hundred tracks;
  // MAX_LENGTH (1 MiB) still caps what parsing costs.
  static final int MAX_LINES = 65_536;
  static final int MAX_LINE_LENGTH = 4096;
  static final int MAX_MEDIA = 512;

  private final Set<String> mids = new HashSet<>();
  private int lineNo;

  private SdpParser() {}

  static SessionDescription parse(String text) throws SdpParseException {
    if (text == null || text.isEmpty()) {
      throw new SdpParseException("empty SDP");
    }
    if (text.length() > SessionDescription.MAX_LENGTH) {
      throw new SdpParseException(
          "SDP longer than " + SessionDescription.MAX_LENGTH + " characters");
    }
    return new SdpParser().run(lines(text));
  }

  private static List<String> lines(String text) throws SdpParseException {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      int contentEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      out.add(text.substring(start, contentEnd));
      if (out.size() > MAX_LINES) {
        throw new SdpParseException("SDP has more than " + MAX_LINES + " lines");
      }
      start = end + 1;
    }
    // A trailing blank line or two is common (bodies ending in CRLF CRLF); blank lines inside are
    // not.
    while (!out.isEmpty() && out.getLast().isEmpty()) {
      out.removeLast();
    }
    return out;
  }

  private SessionDescription run(List<String> lines) throws SdpParseException {
    if (lines.size() < 3) {
      throw new SdpParseException("SDP too short");
    }
    expect(lines, 0, 'v');
    if (!lines.get(0).equals("v=0")) {
      throw SdpParseException.atLine(1, "unsupported version");
    }
    Origin origin = Origin.parse(value(expect(lines, 1, 'o')), 2);
    SessionDescription.Builder sb = new SessionDescription.Builder(origin);
    sb.sessionName = value(expect(lines, 2, 's'));
    if (sb.sessionName.isEmpty()) {
      throw SdpParseException.atLine(3, "empty s= line");
    }
    boolean timing = false;
    MediaSectionState media = null;
    for (int i = 3; i < lines.size(); i++) {
      lineNo = i + 1;
      String line = lines.get(i);
      char type = checkLine(line);
      String v = value(line);
      if (type == 'm') {
        if (!timing) {
          throw SdpParseException.atLine(lineNo, "missing t= line");
        }
        if (media != null) {
          sb.media.add(media.build());
        }
        if (sb.media.size() == MAX_MEDIA) {
          throw SdpParseException.atLine(lineNo, "too many m= lines");
        }
        media = MediaSectionState.parseMLine(v, lineNo);
      } else if (media != null) {
        mediaLine(media, type, v);
      } else {
        switch (type) {
          case 'i', 'u', 'e', 'p', 'r', 'z', 'k' -> sb.extraLines.add(line);
          case 'c' -> {
            if (sb.connection != null) {
              throw SdpParseException.atLine(lineNo, "duplicate c= line");
            }
            sb.connection = Connection.parse(v, lineNo);
          }
          case 'b' -> sb.bandwidths.add(bandwidth(v));
          case 't' -> {
            timing = true;
            timing(sb, v);
          }
          case 'a' -> sessionAttribute(sb, attribute(v));
          default -> throw SdpParseException.atLine(lineNo, "unexpected " + type + "= line");
        }
      }
    }
    if (!timing) {
      throw new SdpParseException("missing t= line");
    }
    if (media != null) {
      sb.media.add(media.build());
    }
    for (Group g : sb.groups) {
      for (String mid : g.mids()) {
        if (!mids.contains(mid)) {
          throw new SdpParseException("group " + g.semantics() + " names an unknown mid");
        }
      }
    }
    return sb.build();
  }

  private static String expect(List<String> lines, int index, char type) throws SdpParseException {
    String line = lines.get(index);
    if (line.length() < 2 || line.charAt(0) != type || line.charAt(1) != '=') {
      throw SdpParseException.atLine(index + 1, "expected " + type + "= line");
    }
    checkChars(line, index + 1);
    return line;
  }

  private char checkLine(String line) throws SdpParseException {
    if (line.isEmpty()) {
      throw SdpParseException.atLine(lineNo, "empty line");
    }
    if (line.length() < 2
        || line.charAt(1) != '='
        || line.charAt(0) < 'a'
        || line.charAt(0) > 'z') {
      throw SdpParseException.atLine(lineNo, "not a type=value line");
    }
    checkChars(line, lineNo);
    return line.charAt(0);
  }

  private static void checkChars(String line, int lineNo) throws SdpParseException {
    if (line.length() > MAX_LINE_LENGTH) {
      throw SdpParseException.atLine(lineNo, "line too long");
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        throw SdpParseException.atLine(lineNo, "control character");
      }
    }
  }

  private static String value(String line) {
    return line.substring(2);
  }

  private String bandwidth(String v) throws SdpParseException {
    int colon = v.indexOf(':');
    if (colon <= 0
        || !Tokens.isToken(v.substring(0, colon))
        || Tokens.parseDecimal(v.substring(colon + 1), 0, Long.MAX_VALUE / 10) < 0) {
      throw SdpParseException.atLine(lineNo, "bad b= line");
    }
    return v;
  }

  private void timing(SessionDescription.Builder sb, String v) throws SdpParseException {
    List<String> t = Tokens.split(v, ' ');
    long start = t.size() == 2 ? Tokens.parseDecimal(t.get(0), 0, Long.MAX_VALUE / 10) : -1;
    long stop = t.size() == 2 ? Tokens.parseDecimal(t.get(1), 0, Long.MAX_VALUE / 10) : -1;
    if (start < 0 || stop < 0) {
      throw SdpParseException.atLine(lineNo, "bad t= line");
    }
    sb.startTime = start;
    sb.stopTime = stop;
  }

  private Attribute attribute(String v) throws SdpParseException {
    Attribute a = Attribute.parse(v);
    if (!Tokens.isToken(a.name())) {
      throw SdpParseException.atLine(lineNo, "bad attribute name");
    }
    return a;
  }

  private String need(Attribute a) throws SdpParseException {
    String v = a.value() == null ? "" : a.value().trim();
    if (v.isEmpty()) {
      throw SdpParseException.atLine(lineNo, "a=" + a.name() + " needs a value");
    }
    return v;
  }

  private String visible(Attribute a) throws SdpParseException {
    String v = need(a);
    if (!Tokens.isVisible(v) || v.length() > 256) {
      throw SdpParseException.atLine(lineNo, "bad " + a.name());
    }
    return v;
  }

  private List<String> options(Attribute a) throws SdpParseException {
    List<String> out = Tokens.split(need(a), ' ');
    for (String o : out) {
      if (!Tokens.isToken(o)) {
        throw SdpParseException.atLine(lineNo, "bad ice-options");
      }
    }
    return out;
  }

  private Setup setup(Attribute a) throws SdpParseException {
    Setup s = Setup.fromToken(need(a));
    if (s == null) {
      throw SdpParseException.atLine(lineNo, "bad setup");
    }
    return s;
  }

  private void sessionAttribute(SessionDescription.Builder sb, Attribute a)
      throws SdpParseException {
    switch (a.name()) {
      case "group" -> sb.groups.add(Group.parse(need(a), lineNo));
      case "ice-lite" -> sb.iceLite = true;
      case "ice-options" -> sb.iceOptions.addAll(options(a));
      case "ice-ufrag" -> sb.iceUfrag = visible(a);
      case "ice-pwd" -> sb.icePwd = visible(a);
      case "fingerprint" -> sb.fingerprints.add(Fingerprint.parse(need(a), lineNo));
      case "setup" -> sb.setup = setup(a);
      case "msid-semantic" -> sb.msidSemantic = need(a);
      case "extmap-allow-mixed" -> sb.extmapAllowMixed = true;
      default -> sb.otherAttributes.add(a);
    }
  }

  private void mediaLine(MediaSectionState ms, char type, String v) throws SdpParseException {
    MediaDescription.Builder b = ms.builder;
    switch (type) {
      case 'i', 'k' -> b.extraLines.add(type + "=" + v);
      case 'c' -> {
        if (b.connection != null) {
          throw SdpParseException.atLine(lineNo, "duplicate c= line");
        }
        b.connection = Connection.parse(v, lineNo);
      }
      case 'b' -> b.bandwidths.add(bandwidth(v));
      case 'a' -> mediaAttribute(ms, attribute(v));
      default -> throw SdpParseException.atLine(lineNo, "unexpected " + type + "= line");
    }
  }

  private void mediaAttribute(MediaSectionState ms, Attribute a) throws SdpParseException {
    MediaDescription.Builder b = ms.builder;
    Direction dir = Direction.fromToken(a.name());
    if (dir != null) {
      if (b.direction != null) {
        throw SdpParseException.atLine(lineNo, "duplicate direction");
      }
      b.direction = dir;
      return;
    }
    switch (a.name()) {
      case "mid" -> {
        String mid = visible(a);
        if (b.mid != null || mid.length() > 64 || !mids.add(mid)) {
          throw SdpParseException.atLine(lineNo, "bad or duplicate mid");
        }
        b.mid = mid;
      }
      case "rtcp-mux" -> b.rtcpMux = true;
      case "rtcp-rsize" -> b.rtcpRsize = true;
      case "ice-ufrag" -> b.iceUfrag = visible(a);
      case "ice-pwd" -> b.icePwd = visible(a);
      case "ice-options" -> b.iceOptions.addAll(options(a));
      case "fingerprint" -> b.fingerprints.add(Fingerprint.parse(need(a), lineNo));
      case "setup" -> b.setup = setup(a);
      case "msid" -> b.msids.add(Msid.parse(need(a), lineNo));
      case "extmap" -> {
        Extmap e = Extmap.parse(need(a), lineNo);
        for (Extmap other : b.extmaps) {
          if (other.id() == e.id()) {
            throw SdpParseException.atLine(lineNo, "duplicate extmap id");
          }
        }
        b.extmaps.add(e);
      }
      case "rtpmap" -> ms.rtpmap(RtpCodec.parseRtpmap(need(a), lineNo), lineNo);
      case "fmtp" -> ms.fmtp(need(a), lineNo);
      case "rtcp-fb" -> {
        if (need(a).startsWith("*")) {
          b.otherAttributes.add(a);
        } else {
          ms.rtcpFb(need(a), lineNo);
        }
      }
      case "ssrc" -> ms.ssrc(need(a), lineNo);
      case "ssrc-group" -> b.ssrcGroups.add(SsrcGroup.parse(need(a), lineNo));
      case "rid" -> b.rids.add(Rid.parse(need(a), lineNo));
      case "simulcast" -> {
        if (b.simulcast != null) {
          throw SdpParseException.atLine(lineNo, "duplicate simulcast");
        }
        b.simulcast = Simulcast.parse(need(a), lineNo);
      }
      case "sctp-port" -> {
        long port = Tokens.parseDecimal(need(a), 1, 65535);
        if (port < 0) {
          throw SdpParseException.atLine(lineNo, "bad sctp-port");
        }
        b.sctpPort = (int) port;
      }
      case "max-message-size" -> {
        long size = Tokens.parseDecimal(need(a), 0, 1L << 53);
        if (size < 0) {
          throw SdpParseException.atLine(lineNo, "bad max-message-size");
        }
        b.maxMessageSize = size;
      }
      case "candidate" -> b.candidates.add(candidate(need(a)));
      case "end-of-candidates" -> b.endOfCandidates = true;
      default -> b.otherAttributes.add(a);
    }
  }

  /** Checks the RFC 8839 section 5.1 shape: six fields, then {@code typ <type>}. */
  private String candidate(String v) throws SdpParseException {
    List<String> t = Tokens.split(v, ' ');
    if (t.size() < 8 || !t.get(6).equals("typ")) {
      throw SdpParseException.atLine(lineNo, "bad candidate");
    }
    return String.join(" ", t);
  }
}
