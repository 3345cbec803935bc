package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code a=ssrc-group} (RFC 5576 section 4.2), e.g. {@code FID} pairing a source with its RTX
 * source (RFC 4588) or {@code SIM} listing simulcast layers.
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
  public SsrcGroup {
    ssrcs = List.copyOf(ssrcs);
  }

  String format() {
    StringBuilder sb = new StringBuilder(semantics);
    for (long s : ssrcs) {
      sb.append(' ').append(s);
    }
    return sb.toString();
  }

  static SsrcGroup parse(String value, int line) throws SdpParseException {
    List<String> t = Tokens.split(value.trim(), ' ');
    if (t.isEmpty() || !Tokens.isToken(t.get(0))) {
      throw SdpParseException.atLine(line, "bad ssrc-group");
    }
    List<Long> ids = new ArrayList<>();
    for (int i = 1; i < t.size(); i++) {
      long id = Tokens.parseDecimal(t.get(i), 0, 0xFFFF_FFFFL);
      if (id < 0) {
        throw SdpParseException.atLine(line, "bad ssrc-group");
      }
      ids.add(id);
    }
    return new SsrcGroup(t.get(0), ids);
  }
}
