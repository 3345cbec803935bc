package eu.visio.media.sdp;

import java.util.List;

/** A session-level {@code a=group} (RFC 5888 section 5), e.g. {@code BUNDLE 0 1 2} (RFC 8843). */
public record Group(String semantics, List<String> mids) {
  public Group {
    mids = List.copyOf(mids);
  }

  String format() {
    return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
  }

  static Group parse(String value, int line) throws SdpParseException {
    List<String> t = Tokens.split(value.trim(), ' ');
    if (t.isEmpty() || !Tokens.isToken(t.get(0))) {
      throw SdpParseException.atLine(line, "bad group");
    }
    return new Group(t.get(0), t.subList(1, t.size()));
  }
}
