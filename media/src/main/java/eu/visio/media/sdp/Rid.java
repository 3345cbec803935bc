package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * An RTP stream identifier {@code a=rid} (RFC 8851 section 4).
 *
 * @param id the rid, {@code 1*(ALPHA / DIGIT / "-" / "_")} (RFC 8852 section 3.1)
 * @param send true for {@code send}, false for {@code recv}
 * @param payloadTypes the {@code pt=} restriction, empty when absent
 * @param restrictions the other restrictions verbatim, e.g. {@code "max-width=1280"}
 */
public record Rid(String id, boolean send, List<Integer> payloadTypes, List<String> restrictions) {
  public Rid {
    payloadTypes = List.copyOf(payloadTypes);
    restrictions = List.copyOf(restrictions);
  }

  /** A rid without restrictions. */
  public static Rid of(String id, boolean send) {
    return new Rid(id, send, List.of(), List.of());
  }

  String format() {
    StringBuilder sb = new StringBuilder(id).append(send ? " send" : " recv");
    List<String> params = new ArrayList<>();
    if (!payloadTypes.isEmpty()) {
      StringBuilder pt = new StringBuilder("pt=");
      for (int i = 0; i < payloadTypes.size(); i++) {
        pt.append(i == 0 ? "" : ",").append(payloadTypes.get(i));
      }
      params.add(pt.toString());
    }
    params.addAll(restrictions);
    if (!params.isEmpty()) {
      sb.append(' ').append(String.join(";", params));
    }
    return sb.toString();
  }

  static boolean isRidId(String s) {
    if (s.isEmpty() || s.length() > 255) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static Rid parse(String value, int line) throws SdpParseException {
    List<String> t = Tokens.split(value.trim(), ' ');
    if (t.size() < 2
        || t.size() > 3
        || !isRidId(t.get(0))
        || !(t.get(1).equals("send") || t.get(1).equals("recv"))) {
      throw SdpParseException.atLine(line, "bad rid");
    }
    List<Integer> pts = new ArrayList<>();
    List<String> restrictions = new ArrayList<>();
    if (t.size() == 3) {
      List<String> params = Tokens.splitKeepEmpty(t.get(2), ';');
      for (int i = 0; i < params.size(); i++) {
        String p = params.get(i);
        if (i == 0 && p.startsWith("pt=")) {
          for (String fmt : Tokens.splitKeepEmpty(p.substring(3), ',')) {
            long pt = Tokens.parseDecimal(fmt, 0, 127);
            if (pt < 0) {
              throw SdpParseException.atLine(line, "bad rid payload type");
            }
            pts.add((int) pt);
          }
        } else if (Tokens.isVisible(p)) {
          restrictions.add(p);
        } else {
          throw SdpParseException.atLine(line, "bad rid restriction");
        }
      }
    }
    return new Rid(t.get(0), t.get(1).equals("send"), pts, restrictions);
  }
}
