package eu.visio.media.sdp;

import java.util.List;

/**
 * A media stream identification {@code a=msid} (RFC 8830 section 2): the stream (or {@code "-"})
 * and the optional track id.
 */
public record Msid(String streamId, String trackId) {

  String format() {
    return trackId == null ? streamId : streamId + " " + trackId;
  }

  static Msid parse(String value, int line) throws SdpParseException {
    List<String> t = Tokens.split(value.trim(), ' ');
    if (t.isEmpty() || t.size() > 2) {
      throw SdpParseException.atLine(line, "bad msid");
    }
    return new Msid(t.get(0), t.size() == 2 ? t.get(1) : null);
  }
}
