package eu.visio.media.sdp;

import java.util.List;

/**
 * All {@code a=ssrc} lines (RFC 5576 section 4.1) for one synchronization source, in order.
 *
 * @param ssrc 32-bit source id
 * @param attributes source attributes such as {@code cname:...} and {@code msid:stream track}
 */
public record Ssrc(long ssrc, List<Attribute> attributes) {
  public Ssrc {
    attributes = List.copyOf(attributes);
  }

  /** The CNAME (RFC 5576 section 6.1), or null. */
  public String cname() {
    return attribute("cname");
  }

  /** The legacy per-source msid, or null. */
  public Msid msid() {
    String v = attribute("msid");
    List<String> t = v == null ? List.of() : Tokens.split(v, ' ');
    return t.isEmpty() ? null : new Msid(t.get(0), t.size() > 1 ? t.get(1) : null);
  }

  /** The first value of the named source attribute, or null. */
  public String attribute(String name) {
    for (Attribute a : attributes) {
      if (a.name().equals(name)) {
        return a.value();
      }
    }
    return null;
  }

  /** Parses one line's value into its ssrc and attribute. */
  static long parseId(String value, int line) throws SdpParseException {
    int sp = value.indexOf(' ');
    long id = Tokens.parseDecimal(sp < 0 ? value : value.substring(0, sp), 0, 0xFFFF_FFFFL);
    if (id < 0 || sp < 0 || value.length() == sp + 1) {
      throw SdpParseException.atLine(line, "bad ssrc");
    }
    return id;
  }

  static Attribute parseAttribute(String value) {
    return Attribute.parse(value.substring(value.indexOf(' ') + 1));
  }
}
