package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code a=simulcast} attribute (RFC 8853 section 5.1): for each direction an ordered list of
 * simulcast streams, each a list of alternative rids; a rid prefixed by {@code ~} starts paused.
 *
 * @param send streams the offerer sends, highest priority first; empty when absent
 * @param recv streams it receives; empty when absent
 */
public record Simulcast(List<List<Stream>> send, List<List<Stream>> recv) {
  public Simulcast {
    send = copy(send);
    recv = copy(recv);
  }

  /** One rid of a simulcast stream. */
  public record Stream(String rid, boolean paused) {}

  /** The first alternative rid of each stream in the given direction. */
  public static List<String> firstRids(List<List<Stream>> streams) {
    List<String> out = new ArrayList<>();
    for (List<Stream> alternatives : streams) {
      out.add(alternatives.get(0).rid());
    }
    return out;
  }

  private static List<List<Stream>> copy(List<List<Stream>> in) {
    List<List<Stream>> out = new ArrayList<>();
    for (List<Stream> alt : in) {
      out.add(List.copyOf(alt));
    }
    return List.copyOf(out);
  }

  String format() {
    StringBuilder sb = new StringBuilder();
    if (!send.isEmpty()) {
      sb.append("send ");
      appendList(sb, send);
    }
    if (!recv.isEmpty()) {
      sb.append(sb.isEmpty() ? "recv " : " recv ");
      appendList(sb, recv);
    }
    return sb.toString();
  }

  private static void appendList(StringBuilder sb, List<List<Stream>> streams) {
    for (int i = 0; i < streams.size(); i++) {
      if (i > 0) {
        sb.append(';');
      }
      List<Stream> alt = streams.get(i);
      for (int j = 0; j < alt.size(); j++) {
        sb.append(j == 0 ? "" : ",")
            .append(alt.get(j).paused() ? "~" : "")
            .append(alt.get(j).rid());
      }
    }
  }

  static Simulcast parse(String value, int line) throws SdpParseException {
    List<String> t = Tokens.split(value.trim(), ' ');
    List<List<Stream>> send = List.of();
    List<List<Stream>> recv = List.of();
    if (t.size() != 2 && t.size() != 4) {
      throw SdpParseException.atLine(line, "bad simulcast");
    }
    for (int i = 0; i < t.size(); i += 2) {
      List<List<Stream>> list = parseList(t.get(i + 1), line);
      if (t.get(i).equals("send") && send.isEmpty()) {
        send = list;
      } else if (t.get(i).equals("recv") && recv.isEmpty()) {
        recv = list;
      } else {
        throw SdpParseException.atLine(line, "bad simulcast direction");
      }
    }
    return new Simulcast(send, recv);
  }

  private static List<List<Stream>> parseList(String text, int line) throws SdpParseException {
    // Firefox before version 63 wrote "rid=a;b"; accept that prefix, it carries no meaning.
    String s = text.startsWith("rid=") ? text.substring(4) : text;
    List<List<Stream>> out = new ArrayList<>();
    for (String stream : Tokens.splitKeepEmpty(s, ';')) {
      List<Stream> alternatives = new ArrayList<>();
      for (String alt : Tokens.splitKeepEmpty(stream, ',')) {
        boolean paused = alt.startsWith("~");
        String rid = paused ? alt.substring(1) : alt;
        if (!Rid.isRidId(rid)) {
          throw SdpParseException.atLine(line, "bad simulcast rid");
        }
        alternatives.add(new Stream(rid, paused));
      }
      out.add(alternatives);
    }
    return out;
  }
}
