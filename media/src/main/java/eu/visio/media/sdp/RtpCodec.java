package eu.visio.media.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One RTP payload format of an {@code m=} line: its {@code a=rtpmap} (RFC 8866 section 6.6), {@code
 * a=fmtp} (section 6.15) and {@code a=rtcp-fb} lines (RFC 4585 section 4.2) gathered by payload
 * type.
 *
 * @param payloadType 0..127
 * @param name encoding name as written (e.g. {@code opus}, {@code H264}), or null for a static
 *     payload type without rtpmap
 * @param clockRate RTP clock rate in Hz, 0 when there is no rtpmap
 * @param channels audio channel count, 0 when not given
 * @param fmtp format parameters text, or null
 * @param rtcpFeedback rtcp-fb values without the payload type, e.g. {@code "nack pli"}
 */
public record RtpCodec(
    int payloadType,
    String name,
    int clockRate,
    int channels,
    String fmtp,
    List<String> rtcpFeedback) {

  public RtpCodec {
    rtcpFeedback = List.copyOf(rtcpFeedback);
  }

  /** True when the encoding name matches, ignoring case (RFC 8866: names are case-insensitive). */
  public boolean is(String encodingName) {
    return name != null && name.equalsIgnoreCase(encodingName);
  }

  /** The fmtp parameters as an ordered map; a piece without {@code =} maps to {@code ""}. */
  public Map<String, String> fmtpParameters() {
    return parseParameters(fmtp);
  }

  /** Parses {@code key=value;key=value} as used by most fmtp lines; keys are lower-cased. */
  public static Map<String, String> parseParameters(String fmtp) {
    Map<String, String> out = new LinkedHashMap<>();
    if (fmtp == null) {
      return out;
    }
    for (String piece : Tokens.split(fmtp, ';')) {
      String p = piece.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq < 0) {
        out.put(p, "");
      } else {
        out.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), p.substring(eq + 1).trim());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  String formatRtpmap() {
    return payloadType + " " + name + "/" + clockRate + (channels > 0 ? "/" + channels : "");
  }

  /** Parses an rtpmap value into {pt, name, clock, channels}; fmtp and feedback are added later. */
  static RtpCodec parseRtpmap(String value, int line) throws SdpParseException {
    List<String> t = Tokens.split(value.trim(), ' ');
    if (t.size() != 2) {
      throw SdpParseException.atLine(line, "bad rtpmap");
    }
    long pt = Tokens.parseDecimal(t.get(0), 0, 127);
    List<String> enc = Tokens.splitKeepEmpty(t.get(1), '/');
    if (pt < 0 || enc.size() < 2 || enc.size() > 3 || !Tokens.isToken(enc.get(0))) {
      throw SdpParseException.atLine(line, "bad rtpmap");
    }
    long clock = Tokens.parseDecimal(enc.get(1), 1, 10_000_000);
    long channels = enc.size() == 3 ? Tokens.parseDecimal(enc.get(2), 1, 255) : 0;
    if (clock < 0 || channels < 0) {
      throw SdpParseException.atLine(line, "bad rtpmap");
    }
    return new RtpCodec((int) pt, enc.get(0), (int) clock, (int) channels, null, List.of());
  }
}
