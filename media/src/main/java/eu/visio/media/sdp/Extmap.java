package eu.visio.media.sdp;

/**
 * An RTP header extension mapping {@code a=extmap} (RFC 8285 section 8).
 *
 * @param id local identifier, 1..255 (1..14 fit the one-byte header form)
 * @param direction optional direction, or null
 * @param uri extension URI
 * @param attributes optional extension attributes after the URI, or null
 */
public record Extmap(int id, Direction direction, String uri, String attributes) {

  public Extmap(int id, String uri) {
    this(id, null, uri, null);
  }

  String format() {
    StringBuilder sb = new StringBuilder().append(id);
    if (direction != null) {
      sb.append('/').append(direction.token());
    }
    sb.append(' ').append(uri);
    if (attributes != null) {
      sb.append(' ').append(attributes);
    }
    return sb.toString();
  }

  static Extmap parse(String value, int line) throws SdpParseException {
    String v = value.trim();
    int sp = v.indexOf(' ');
    if (sp < 0) {
      throw SdpParseException.atLine(line, "bad extmap");
    }
    String head = v.substring(0, sp);
    String rest = v.substring(sp + 1).trim();
    Direction dir = null;
    int slash = head.indexOf('/');
    if (slash >= 0) {
      dir = Direction.fromToken(head.substring(slash + 1));
      head = head.substring(0, slash);
      if (dir == null) {
        throw SdpParseException.atLine(line, "bad extmap direction");
      }
    }
    long id = Tokens.parseDecimal(head, 1, 255);
    int sp2 = rest.indexOf(' ');
    String uri = sp2 < 0 ? rest : rest.substring(0, sp2);
    String attrs = sp2 < 0 ? null : rest.substring(sp2 + 1).trim();
    if (id < 0 || !Tokens.isVisible(uri)) {
      throw SdpParseException.atLine(line, "bad extmap");
    }
    return new Extmap((int) id, dir, uri, attrs == null || attrs.isEmpty() ? null : attrs);
  }
}
