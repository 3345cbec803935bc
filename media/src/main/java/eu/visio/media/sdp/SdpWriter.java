package eu.visio.media.sdp;

/**
 * Serialises the model in RFC 8866 section 5 line order, attributes in the order browsers emit
 * them; unknown attributes follow the typed ones and candidates come last.
 */
final class SdpWriter {
  private static final String CRLF = "\r\n";
  private static final String MASK = "<redacted>";

  private final StringBuilder sb = new StringBuilder(2048);
  private final boolean redact;

  private SdpWriter(boolean redact) {
    this.redact = redact;
  }

  static String write(SessionDescription sd, boolean redact) {
    SdpWriter w = new SdpWriter(redact);
    w.session(sd);
    for (MediaDescription m : sd.media()) {
      w.media(m);
    }
    return w.sb.toString();
  }

  static String write(MediaDescription m, boolean redact) {
    SdpWriter w = new SdpWriter(redact);
    w.media(m);
    return w.sb.toString();
  }

  private void session(SessionDescription sd) {
    line("v=0");
    line("o=" + sd.origin().format());
    line("s=" + sd.sessionName());
    extra(sd.extraLines(), "iuep");
    if (sd.connection() != null) {
      line("c=" + sd.connection().format());
    }
    for (String b : sd.bandwidths()) {
      line("b=" + b);
    }
    line("t=" + sd.startTime() + " " + sd.stopTime());
    extra(sd.extraLines(), "rzk");
    for (Group g : sd.groups()) {
      attr("group", g.format());
    }
    if (sd.iceLite()) {
      line("a=ice-lite");
    }
    if (!sd.iceOptions().isEmpty()) {
      attr("ice-options", String.join(" ", sd.iceOptions()));
    }
    ice(sd.iceUfrag(), sd.icePwd());
    for (Fingerprint f : sd.fingerprints()) {
      attr("fingerprint", f.format());
    }
    if (sd.setup() != null) {
      attr("setup", sd.setup().token());
    }
    if (sd.extmapAllowMixed()) {
      line("a=extmap-allow-mixed");
    }
    if (sd.msidSemantic() != null) {
      // Chrome writes a space after the colon; its own parser and Firefox accept both forms.
      attr("msid-semantic", " " + sd.msidSemantic());
    }
    for (Attribute a : sd.otherAttributes()) {
      line("a=" + a.format());
    }
  }

  private void media(MediaDescription m) {
    line(
        "m="
            + m.kind().token()
            + " "
            + m.port()
            + " "
            + m.proto()
            + " "
            + String.join(" ", m.formats()));
    extra(m.extraLines(), "i");
    if (m.connection() != null) {
      line("c=" + m.connection().format());
    }
    for (String b : m.bandwidths()) {
      line("b=" + b);
    }
    extra(m.extraLines(), "k");
    ice(m.iceUfrag(), m.icePwd());
    if (!m.iceOptions().isEmpty()) {
      attr("ice-options", String.join(" ", m.iceOptions()));
    }
    for (Fingerprint f : m.fingerprints()) {
      attr("fingerprint", f.format());
    }
    if (m.setup() != null) {
      attr("setup", m.setup().token());
    }
    if (m.mid() != null) {
      attr("mid", m.mid());
    }
    for (Extmap e : m.extmaps()) {
      attr("extmap", e.format());
    }
    if (m.direction() != null) {
      line("a=" + m.direction().token());
    }
    for (Msid id : m.msids()) {
      attr("msid", id.format());
    }
    if (m.rtcpMux()) {
      line("a=rtcp-mux");
    }
    if (m.rtcpRsize()) {
      line("a=rtcp-rsize");
    }
    for (RtpCodec c : m.codecs()) {
      if (c.name() != null) {
        attr("rtpmap", c.formatRtpmap());
      }
      for (String fb : c.rtcpFeedback()) {
        attr("rtcp-fb", c.payloadType() + " " + fb);
      }
      if (c.fmtp() != null) {
        attr("fmtp", c.payloadType() + " " + c.fmtp());
      }
    }
    for (SsrcGroup g : m.ssrcGroups()) {
      attr("ssrc-group", g.format());
    }
    for (Ssrc s : m.ssrcs()) {
      for (Attribute a : s.attributes()) {
        attr("ssrc", s.ssrc() + " " + a.format());
      }
    }
    for (Rid r : m.rids()) {
      attr("rid", r.format());
    }
    if (m.simulcast() != null) {
      attr("simulcast", m.simulcast().format());
    }
    if (m.sctpPort() != null) {
      attr("sctp-port", m.sctpPort().toString());
    }
    if (m.maxMessageSize() != null) {
      attr("max-message-size", m.maxMessageSize().toString());
    }
    for (Attribute a : m.otherAttributes()) {
      line("a=" + a.format());
    }
    for (String c : m.candidates()) {
      attr("candidate", c);
    }
    if (m.endOfCandidates()) {
      line("a=end-of-candidates");
    }
  }

  private void ice(String ufrag, String pwd) {
    if (ufrag != null) {
      attr("ice-ufrag", ufrag);
    }
    if (pwd != null) {
      attr("ice-pwd", redact ? MASK : pwd);
    }
  }

  private void extra(java.util.List<String> lines, String letters) {
    for (String l : lines) {
      if (letters.indexOf(l.charAt(0)) >= 0) {
        line(l);
      }
    }
  }

  private void attr(String name, String value) {
    sb.append("a=").append(name).append(':').append(value).append(CRLF);
  }

  private void line(String text) {
    sb.append(text).append(CRLF);
  }
}
