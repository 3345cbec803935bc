package eu.visio.media.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate fingerprint as carried in SDP {@code a=fingerprint:<hash-func> <hex>} (RFC 8122
 * §5). It is what authenticates a WebRTC peer: the self-signed certificate it presents in the DTLS
 * handshake must hash to this value.
 *
 * @param hashFunction the hash over the DER certificate
 * @param value the digest as uppercase hex pairs separated by colons ({@code "AB:CD:..."})
 */
public record DtlsFingerprint(HashFunction hashFunction, String value) {
  private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();

  /**
   * Hash functions we verify (RFC 8122 §5 registry names). MD5 and MD2 are refused: RFC 8122 §5
   * forbids them. sha-224 is legal but no browser uses it.
   */
  public enum HashFunction {
    SHA_1("sha-1", "SHA-1", 20),
    SHA_256("sha-256", "SHA-256", 32),
    SHA_384("sha-384", "SHA-384", 48),
    SHA_512("sha-512", "SHA-512", 64);

    /** The SDP token, lowercase as in the IANA "Hash Function Textual Names" registry. */
    public final String sdpName;

    private final String jcaName;

    /** Digest length in bytes. */
    public final int length;

    HashFunction(String sdpName, String jcaName, int length) {
      this.sdpName = sdpName;
      this.jcaName = jcaName;
      this.length = length;
    }

    /** Returns the function with this SDP token (case-insensitive), or null. */
    public static HashFunction bySdpName(String name) {
      for (HashFunction f : values()) {
        if (f.sdpName.equalsIgnoreCase(name)) {
          return f;
        }
      }
      return null;
    }

    byte[] digest(byte[] data) {
      try {
        return MessageDigest.getInstance(jcaName).digest(data);
      } catch (NoSuchAlgorithmException e) {
        // Every JDK must provide SHA-1/256/384/512 (java.security.MessageDigest docs).
        throw new IllegalStateException(jcaName, e);
      }
    }
  }

  /** Validates and canonicalizes {@code value} to uppercase. */
  public DtlsFingerprint {
    if (hashFunction == null || value == null || !isHexPairs(value, hashFunction.length)) {
      throw new IllegalArgumentException("fingerprint does not match its hash function");
    }
    value = value.toUpperCase(Locale.ROOT);
  }

  /** Fingerprint of a DER-encoded certificate. */
  public static DtlsFingerprint of(HashFunction hashFunction, byte[] der) {
    return new DtlsFingerprint(hashFunction, HEX.formatHex(hashFunction.digest(der)));
  }

  /**
   * Parses the value of an {@code a=fingerprint} attribute, {@code "sha-256 AB:CD:..."}. The hash
   * name is matched case-insensitively; lowercase hex is accepted (RFC 8122 asks for uppercase,
   * being lenient costs nothing since the bytes are what we compare).
   */
  public static DtlsFingerprint parse(String attribute) throws DtlsParseException {
    if (attribute == null) {
      throw new DtlsParseException("missing fingerprint");
    }
    String s = attribute.strip();
    int sp = s.indexOf(' ');
    if (sp < 0) {
      throw new DtlsParseException("fingerprint without hash function");
    }
    HashFunction f = HashFunction.bySdpName(s.substring(0, sp));
    if (f == null) {
      throw new DtlsParseException("unsupported fingerprint hash function");
    }
    String hex = s.substring(sp + 1).strip();
    if (!isHexPairs(hex, f.length)) {
      throw new DtlsParseException("malformed fingerprint value");
    }
    return new DtlsFingerprint(f, hex);
  }

  /** The digest bytes (a fresh copy). */
  public byte[] digest() {
    return HEX.parseHex(value);
  }

  /**
   * Whether the DER certificate hashes to this fingerprint. The comparison is constant-time ({@link
   * MessageDigest#isEqual}) so a mismatch leaks nothing about how close it was.
   */
  public boolean matches(byte[] der) {
    return MessageDigest.isEqual(hashFunction.digest(der), digest());
  }

  /** The SDP attribute value, {@code "sha-256 AB:CD:..."}. */
  @Override
  public String toString() {
    return hashFunction.sdpName + " " + value;
  }

  /** {@code bytes} hex pairs separated by single colons, nothing else. */
  private static boolean isHexPairs(String s, int bytes) {
    if (s.length() != 3 * bytes - 1) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = i % 3 == 2 ? c == ':' : HexFormat.isHexDigit(c);
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
