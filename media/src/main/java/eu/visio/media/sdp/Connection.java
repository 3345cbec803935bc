package eu.visio.media.sdp;

import java.util.List;

/** The {@code c=} line (RFC 8866 section 5.7); WebRTC only uses unicast {@code IN IP4|IP6}. */
public record Connection(String netType, String addrType, String address) {

  /** The placeholder JSEP uses before any candidate is known (RFC 8829 section 5.2.1). */
  public static final Connection ANY_IP4 = new Connection("IN", "IP4", "0.0.0.0");

  /** A connection line for a literal address, IPv6 when it contains a colon. */
  public static Connection of(String address) {
    return new Connection("IN", address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
  }

  String format() {
    return netType + " " + addrType + " " + address;
  }

  static Connection parse(String value, int line) throws SdpParseException {
    List<String> t = Tokens.split(value, ' ');
    if (t.size() != 3
        || !Tokens.isToken(t.get(0))
        || !Tokens.isToken(t.get(1))
        || !Tokens.isVisible(t.get(2))) {
      throw SdpParseException.atLine(line, "bad c= line");
    }
    return new Connection(t.get(0), t.get(1), t.get(2));
  }
}
