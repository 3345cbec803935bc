package eu.visio.media.sdp;

import java.util.List;

/**
 * The {@code o=} line (RFC 8866 section 5.2). Session id and version are kept as digit strings
 * because browsers use values up to 2^63 and nothing here does arithmetic on them.
 */
public record Origin(
    String username,
    String sessionId,
    String sessionVersion,
    String netType,
    String addrType,
    String address) {

  /** The origin a WebRTC endpoint without a user name uses (JSEP section 5.2.1). */
  public static Origin of(String sessionId, String sessionVersion) {
    return new Origin("-", sessionId, sessionVersion, "IN", "IP4", "127.0.0.1");
  }

  String format() {
    return String.join(" ", username, sessionId, sessionVersion, netType, addrType, address);
  }

  static Origin parse(String value, int line) throws SdpParseException {
    List<String> t = Tokens.split(value, ' ');
    if (t.size() != 6
        || !Tokens.isVisible(t.get(0))
        || !Tokens.isDigits(t.get(1))
        || !Tokens.isDigits(t.get(2))
        || !Tokens.isToken(t.get(3))
        || !Tokens.isToken(t.get(4))
        || !Tokens.isVisible(t.get(5))) {
      throw SdpParseException.atLine(line, "bad o= line");
    }
    return new Origin(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5));
  }
}
