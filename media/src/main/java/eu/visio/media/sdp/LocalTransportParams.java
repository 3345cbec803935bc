package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * This server's transport parameters, written into every accepted m-line of an answer or offer.
 *
 * @param iceUfrag ICE username fragment (RFC 8839 section 5.4), 4 to 256 characters
 * @param icePwd ICE password, 22 to 256 characters; never logged
 * @param fingerprint fingerprint of our DTLS certificate
 * @param setup preferred DTLS role when the offer says {@code actpass}: {@link Setup#PASSIVE} (we
 *     are the DTLS server, the usual choice for an ICE-lite server) or {@link Setup#ACTIVE}
 * @param iceLite whether to declare {@code a=ice-lite} (RFC 8445 section 2.5)
 * @param candidates candidate attribute values, with or without the {@code candidate:} prefix, e.g.
 *     {@code "candidate:1 1 udp 2130706431 127.0.0.1 7882 typ host"}
 */
public record LocalTransportParams(
    String iceUfrag,
    String icePwd,
    Fingerprint fingerprint,
    Setup setup,
    boolean iceLite,
    List<String> candidates) {

  private static final String PREFIX = "candidate:";

  public LocalTransportParams {
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (!Tokens.isVisible(iceUfrag) || iceUfrag.length() < 4 || iceUfrag.length() > 256) {
      throw new IllegalArgumentException("ice ufrag must be 4..256 visible characters");
    }
    if (!Tokens.isVisible(icePwd) || icePwd.length() < 22 || icePwd.length() > 256) {
      throw new IllegalArgumentException("ice pwd must be 22..256 visible characters");
    }
    if (setup != Setup.ACTIVE && setup != Setup.PASSIVE) {
      throw new IllegalArgumentException("setup must be active or passive");
    }
    List<String> normalized = new ArrayList<>();
    for (String c : candidates) {
      String v = c.startsWith("a=") ? c.substring(2) : c;
      normalized.add(v.startsWith(PREFIX) ? v.substring(PREFIX.length()) : v);
    }
    candidates = List.copyOf(normalized);
  }

  /** ICE-lite, passive DTLS: the usual parameters of this SFU. */
  public static LocalTransportParams iceLite(
      String iceUfrag, String icePwd, Fingerprint fingerprint, List<String> candidates) {
    return new LocalTransportParams(iceUfrag, icePwd, fingerprint, Setup.PASSIVE, true, candidates);
  }

  /** The address and port of the first candidate, or null when none is a literal address. */
  String[] defaultAddress() {
    if (candidates.isEmpty()) {
      return null;
    }
    List<String> t = Tokens.split(candidates.getFirst(), ' ');
    if (t.size() < 6 || t.get(4).endsWith(".local")) {
      return null;
    }
    long port = Tokens.parseDecimal(t.get(5), 1, 65535);
    return port < 0 ? null : new String[] {t.get(4), t.get(5)};
  }

  @Override
  public String toString() {
    return "LocalTransportParams[iceUfrag="
        + iceUfrag
        + ", fingerprint="
        + fingerprint
        + ", setup="
        + setup
        + ", iceLite="
        + iceLite
        + ", candidates="
        + candidates
        + "]";
  }
}
