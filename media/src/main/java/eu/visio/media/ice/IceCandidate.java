package eu.visio.media.ice;

import java.util.Locale;

/**
 * One ICE candidate (RFC 8445 §5.1) as carried in SDP (RFC 8839 §5.1). {@code address} is kept as
 * text because browsers may send mDNS host names ({@code <uuid>.local}). {@code tcpType} is set
 * exactly for TCP candidates (RFC 6544 §4.5); {@code relatedAddress}/{@code relatedPort} are null
 * and -1 when absent.
 */
public record IceCandidate(
    String foundation,
    int component,
    Transport transport,
    TcpType tcpType,
    long priority,
    String address,
    int port,
    Type type,
    String relatedAddress,
    int relatedPort) {

  /** RTP component id (RFC 8445 §5.1.1); with rtcp-mux it is the only one. */
  public static final int COMPONENT_RTP = 1;

  /** Candidate types with the type preferences RFC 8445 §5.1.2.2 recommends. */
  public enum Type {
    HOST("host", 126),
    PEER_REFLEXIVE("prflx", 110),
    SERVER_REFLEXIVE("srflx", 100),
    RELAY("relay", 0);

    private final String sdp;
    private final int preference;

    Type(String sdp, int preference) {
      this.sdp = sdp;
      this.preference = preference;
    }

    public String sdp() {
      return sdp;
    }

    public int preference() {
      return preference;
    }

    static Type fromSdp(String s) throws IceParseException {
      for (Type t : values()) {
        if (t.sdp.equals(s)) {
          return t;
        }
      }
      throw new IceParseException("unknown candidate type");
    }
  }

  public enum Transport {
    UDP,
    TCP;

    public String sdp() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** RFC 6544 §4.5 TCP candidate roles. */
  public enum TcpType {
    ACTIVE("active"),
    PASSIVE("passive"),
    SIMULTANEOUS_OPEN("so");

    private final String sdp;

    TcpType(String sdp) {
      this.sdp = sdp;
    }

    public String sdp() {
      return sdp;
    }

    static TcpType fromSdp(String s) throws IceParseException {
      for (TcpType t : values()) {
        if (t.sdp.equals(s)) {
          return t;
        }
      }
      throw new IceParseException("unknown tcptype");
    }
  }

  public IceCandidate {
    if (!IceCredentials.isIceChars(foundation, 1) || foundation.length() > 32) {
      throw new IllegalArgumentException("foundation must be 1 to 32 ice-chars");
    }
    if (component < 1 || component > 256) {
      throw new IllegalArgumentException("component must be 1..256");
    }
    if (transport == null || type == null) {
      throw new IllegalArgumentException("transport and type are required");
    }
    if ((transport == Transport.TCP) != (tcpType != null)) {
      throw new IllegalArgumentException("tcptype is required for TCP and only for TCP");
    }
    if (priority < 1 || priority > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("priority must be 1..2^32-1");
    }
    if (address == null || address.isEmpty() || address.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("address must be a non-empty token");
    }
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range");
    }
    if ((relatedAddress == null) != (relatedPort < 0)
        || relatedPort > 0xFFFF
        || (relatedAddress != null
            && (relatedAddress.isEmpty() || relatedAddress.indexOf(' ') >= 0))) {
      throw new IllegalArgumentException("raddr and rport go together");
    }
  }

  /**
   * Candidate priority (RFC 8445 §5.1.2.1): {@code 2^24 * type preference + 2^8 * local preference
   * + (256 - component)}.
   */
  public static long priority(Type type, int localPreference, int component) {
    if (localPreference < 0 || localPreference > 0xFFFF) {
      throw new IllegalArgumentException("local preference must be 0..65535");
    }
    if (component < 1 || component > 256) {
      throw new IllegalArgumentException("component must be 1..256");
    }
    return ((long) type.preference() << 24) + ((long) localPreference << 8) + (256 - component);
  }

  /** A host candidate with its priority computed from {@code localPreference}. */
  public static IceCandidate host(
      String foundation,
      int component,
      Transport transport,
      String address,
      int port,
      int localPreference) {
    return new IceCandidate(
        foundation,
        component,
        transport,
        transport == Transport.TCP ? TcpType.PASSIVE : null,
        priority(Type.HOST, localPreference, component),
        address,
        port,
        Type.HOST,
        null,
        -1);
  }

  /** The SDP attribute value without "a=", e.g. {@code candidate:1 1 udp 2130706431 ...}. */
  public String toSdpAttribute() {
    StringBuilder sb = new StringBuilder(96);
    sb.append("candidate:").append(foundation).append(' ').append(component);
    sb.append(' ').append(transport.sdp()).append(' ').append(priority);
    sb.append(' ').append(address).append(' ').append(port).append(" typ ").append(type.sdp());
    if (relatedAddress != null) {
      sb.append(" raddr ").append(relatedAddress).append(" rport ").append(relatedPort);
    }
    if (tcpType != null) {
      sb.append(" tcptype ").append(tcpType.sdp());
    }
    return sb.toString();
  }

  /**
   * Parses {@code candidate:...} (optionally prefixed with {@code a=}). Unknown extension pairs
   * such as {@code generation} or {@code network-id} are skipped (RFC 8839 §5.1: cand-extension).
   */
  public static IceCandidate parse(String attribute) throws IceParseException {
    if (attribute == null) {
      throw new IceParseException("null candidate");
    }
    String s = attribute.strip();
    if (s.startsWith("a=")) {
      s = s.substring(2);
    }
    if (!s.startsWith("candidate:")) {
      throw new IceParseException("not a candidate attribute");
    }
    String[] f = s.substring("candidate:".length()).split(" ", -1);
    if (f.length < 8 || (f.length & 1) != 0) {
      throw new IceParseException("wrong number of fields");
    }
    if (!"typ".equals(f[6])) {
      throw new IceParseException("missing typ");
    }
    Transport transport =
        switch (f[2].toLowerCase(Locale.ROOT)) {
          case "udp" -> Transport.UDP;
          case "tcp" -> Transport.TCP;
          default -> throw new IceParseException("unsupported transport");
        };
    String relatedAddress = null;
    int relatedPort = -1;
    TcpType tcpType = null;
    for (int i = 8; i < f.length; i += 2) {
      switch (f[i]) {
        case "raddr" -> relatedAddress = f[i + 1];
        case "rport" -> relatedPort = intNumber(f[i + 1], 5, 0xFFFF);
        case "tcptype" -> tcpType = TcpType.fromSdp(f[i + 1]);
        default -> {} // extension attribute we do not use
      }
    }
    try {
      return new IceCandidate(
          f[0],
          intNumber(f[1], 3, 256),
          transport,
          tcpType,
          number(f[3], 10, 0xFFFFFFFFL),
          f[4],
          intNumber(f[5], 5, 0xFFFF),
          Type.fromSdp(f[7]),
          relatedAddress,
          relatedPort);
    } catch (IllegalArgumentException e) {
      throw new IceParseException(e.getMessage());
    }
  }

  private static long number(String s, int maxDigits, long max) throws IceParseException {
    if (s.isEmpty() || s.length() > maxDigits) {
      throw new IceParseException("bad number");
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new IceParseException("bad number");
      }
      v = v * 10 + (c - '0');
    }
    if (v > max) {
      throw new IceParseException("number out of range");
    }
    return v;
  }

  private static int intNumber(String s, int maxDigits, int max) throws IceParseException {
    return (int) number(s, maxDigits, (long) max);
  }
}
