package eu.visio.media.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * A parsed STUN message (RFC 8489 §5): a view over the caller's bytes with an index of attribute
 * positions, so attribute values are read in place. One instance can be re-pointed at each received
 * datagram with {@link #tryWrap} / {@link #wrap}; it then allocates nothing unless an index needs
 * to grow or a String/address accessor is called. Not thread-safe.
 *
 * <p>Parsing validates everything the typed accessors later rely on (fixed attribute lengths,
 * address families, ERROR-CODE class), so accessors never throw. Following §14.5-§14.7, attributes
 * after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are ignored (not
 * indexed), and anything after FINGERPRINT is rejected because FINGERPRINT must be last. Padding
 * bytes may hold any value (§14: receivers ignore them; RFC 5769 pads with spaces).
 */
public final class StunMessage {
  /** Fixed header size (RFC 8489 §5). */
  public static final int HEADER_LENGTH = 20;

  /** The magic cookie that distinguishes RFC 5389/8489 STUN from RFC 3489. */
  public static final int MAGIC_COOKIE = 0x2112A442;

  /** Length of the transaction id in bytes. */
  public static final int TRANSACTION_ID_LENGTH = 12;

  /** Offset of the transaction id inside the header. */
  public static final int TRANSACTION_ID_OFFSET = 8;

  /** Value xored into the CRC-32 of FINGERPRINT (RFC 8489 §14.7): ASCII "STUN". */
  public static final int FINGERPRINT_XOR = 0x5354554e;

  /** RFC 8489 §14.3: USERNAME must be shorter than 513 bytes. */
  static final int MAX_USERNAME_LENGTH = 512;

  private static final int NOT_FOUND = -1;

  private static final byte[] EMPTY = new byte[0];

  private byte[] buf = EMPTY;
  private int off;
  private int len;
  private int messageType;
  private int count;
  private int[] types = new int[12];
  private int[] valueOffsets = new int[12];
  private int[] valueLengths = new int[12];
  private int integrityIndex = NOT_FOUND;
  private int fingerprintIndex = NOT_FOUND;
  private String error = "not parsed";
  private final CRC32 crc = new CRC32();

  /** An empty view; point it at bytes with {@link #tryWrap} or {@link #wrap}. */
  public StunMessage() {}

  /** Parses a new view over {@code b[off, off+len)}; the bytes are not copied. */
  public static StunMessage parse(byte[] b, int off, int len) throws StunParseException {
    StunMessage m = new StunMessage();
    m.wrap(b, off, len);
    return m;
  }

  /**
   * Quick demultiplexing test (RFC 7983 §7 and RFC 8489 §6): first byte 0..3, at least a header, a
   * length that is a multiple of 4 and fits, and the magic cookie.
   */
  public static boolean isStun(byte[] b, int off, int len) {
    if (b == null || off < 0 || len < HEADER_LENGTH || off > b.length - len) {
      return false;
    }
    if ((b[off] & 0xFF) > 3) {
      return false; // RFC 7983: 0..3 is STUN, 20..63 DTLS, 128..191 RTP/RTCP
    }
    int bodyLength = u16(b, off + 2);
    return (bodyLength & 3) == 0
        && HEADER_LENGTH + bodyLength <= len
        && u32(b, off + 4) == MAGIC_COOKIE;
  }

  /** Re-points this view at {@code b[off, off+len)}, throwing if it is not well-formed STUN. */
  public void wrap(byte[] b, int off, int len) throws StunParseException {
    if (!tryWrap(b, off, len)) {
      throw new StunParseException(error);
    }
  }

  /**
   * Re-points this view at {@code b[off, off+len)}. Returns false (and {@link #error()} says why)
   * instead of throwing, for per-packet callers. After a false return the view is empty.
   */
  public boolean tryWrap(byte[] b, int off, int len) {
    count = 0;
    integrityIndex = NOT_FOUND;
    fingerprintIndex = NOT_FOUND;
    error = decode(b, off, len);
    if (error != null) {
      count = 0;
      integrityIndex = NOT_FOUND;
      fingerprintIndex = NOT_FOUND;
      this.buf = EMPTY;
      this.off = 0;
      this.len = 0;
      return false;
    }
    return true;
  }

  /** Why the last wrap failed, or null if it succeeded. A short constant string. */
  public String error() {
    return error;
  }

  private String decode(byte[] b, int off, int len) {
    if (b == null || off < 0 || len < 0 || off > b.length - len) {
      return "bad bounds";
    }
    if (len < HEADER_LENGTH) {
      return "shorter than header";
    }
    if ((b[off] & 0xC0) != 0) {
      return "top bits not zero";
    }
    if (u32(b, off + 4) != MAGIC_COOKIE) {
      return "no magic cookie";
    }
    int bodyLength = u16(b, off + 2);
    if ((bodyLength & 3) != 0) {
      return "length not a multiple of 4";
    }
    if (HEADER_LENGTH + bodyLength != len) {
      return "length does not match datagram";
    }
    this.buf = b;
    this.off = off;
    this.len = len;
    this.messageType = u16(b, off) & 0x3FFF;
    int end = off + len;
    int pos = off + HEADER_LENGTH;
    // 0: open; 1: after MESSAGE-INTEGRITY; 2: after MESSAGE-INTEGRITY-SHA256; 3: after FINGERPRINT.
    int sealed = 0;
    // The body length is a multiple of 4 and so is every padded attribute, so a whole 4-byte
    // attribute header always remains while pos < end.
    while (pos < end) {
      int type = u16(b, pos);
      int valueLength = u16(b, pos + 2);
      int value = pos + 4;
      int padded = (valueLength + 3) & ~3;
      if (padded > end - value) {
        return "attribute overruns message";
      }
      pos = value + padded;
      if (sealed == 3) {
        return "attribute after FINGERPRINT";
      }
      if (type == StunAttribute.FINGERPRINT) {
        sealed = 3;
      } else if (type == StunAttribute.MESSAGE_INTEGRITY_SHA256 && sealed < 2) {
        sealed = 2;
      } else if (type == StunAttribute.MESSAGE_INTEGRITY && sealed == 0) {
        sealed = 1;
      } else if (sealed != 0) {
        continue; // RFC 8489 §14.5: ignore what follows the integrity attributes.
      }
      String bad = validate(b, type, value, valueLength);
      if (bad != null) {
        return bad;
      }
      if (type == StunAttribute.MESSAGE_INTEGRITY) {
        integrityIndex = count;
      } else if (type == StunAttribute.FINGERPRINT) {
        fingerprintIndex = count;
      }
      add(type, value, valueLength);
    }
    return null;
  }

  private static String validate(byte[] b, int type, int value, int length) {
    return switch (type) {
      case StunAttribute.MESSAGE_INTEGRITY -> length == 20 ? null : "bad MESSAGE-INTEGRITY length";
      case StunAttribute.MESSAGE_INTEGRITY_SHA256 ->
          length >= 16 && length <= 32 && (length & 3) == 0
              ? null
              : "bad MESSAGE-INTEGRITY-SHA256 length";
      case StunAttribute.FINGERPRINT -> length == 4 ? null : "bad FINGERPRINT length";
      case StunAttribute.PRIORITY -> length == 4 ? null : "bad PRIORITY length";
      case StunAttribute.USE_CANDIDATE -> length == 0 ? null : "bad USE-CANDIDATE length";
      case StunAttribute.ICE_CONTROLLED, StunAttribute.ICE_CONTROLLING ->
          length == 8 ? null : "bad ICE role length";
      case StunAttribute.USERNAME -> length <= MAX_USERNAME_LENGTH ? null : "USERNAME too long";
      case StunAttribute.MAPPED_ADDRESS,
          StunAttribute.XOR_MAPPED_ADDRESS,
          StunAttribute.XOR_PEER_ADDRESS,
          StunAttribute.XOR_RELAYED_ADDRESS ->
          StunAddresses.isValid(b, value, length) ? null : "bad address attribute";
      case StunAttribute.ERROR_CODE -> validErrorCode(b, value, length) ? null : "bad ERROR-CODE";
      default -> null;
    };
  }

  private static boolean validErrorCode(byte[] b, int value, int length) {
    if (length < 4) {
      return false;
    }
    int errorClass = b[value + 2] & 0x07;
    int number = b[value + 3] & 0xFF;
    return errorClass >= 3 && errorClass <= 6 && number < 100;
  }

  private void add(int type, int value, int length) {
    if (count == types.length) {
      int n = count * 2;
      types = Arrays.copyOf(types, n);
      valueOffsets = Arrays.copyOf(valueOffsets, n);
      valueLengths = Arrays.copyOf(valueLengths, n);
    }
    types[count] = type;
    valueOffsets[count] = value;
    valueLengths[count] = length;
    count++;
  }

  /** The viewed bytes (not a copy). */
  public byte[] buffer() {
    return buf;
  }

  public int offset() {
    return off;
  }

  /** Whole message length including the header. */
  public int length() {
    return len;
  }

  /** The 14-bit message type (method and class interleaved). */
  public int messageType() {
    return messageType;
  }

  public StunClass messageClass() {
    return StunMethod.classOf(messageType);
  }

  /** The 12-bit method, e.g. {@link StunMethod#BINDING}. */
  public int method() {
    return StunMethod.methodOf(messageType);
  }

  /** Absolute offset of the 12-byte transaction id in {@link #buffer()}. */
  public int transactionIdOffset() {
    return off + TRANSACTION_ID_OFFSET;
  }

  /** Copies the 12-byte transaction id into {@code dst[dstOff...]}. */
  public void copyTransactionId(byte[] dst, int dstOff) {
    System.arraycopy(buf, off + TRANSACTION_ID_OFFSET, dst, dstOff, TRANSACTION_ID_LENGTH);
  }

  /** Whether the transaction id equals the 12 bytes at {@code other[otherOff...]}. */
  public boolean transactionIdEquals(byte[] other, int otherOff) {
    int from = off + TRANSACTION_ID_OFFSET;
    return Arrays.equals(
        buf, from, from + TRANSACTION_ID_LENGTH, other, otherOff, otherOff + TRANSACTION_ID_LENGTH);
  }

  /** Number of indexed attributes (ignored trailing attributes excluded). */
  public int attributeCount() {
    return count;
  }

  public int attributeType(int index) {
    return types[checkIndex(index)];
  }

  /** Absolute offset of the attribute value in {@link #buffer()}. */
  public int attributeValueOffset(int index) {
    return valueOffsets[checkIndex(index)];
  }

  /** Value length without padding. */
  public int attributeValueLength(int index) {
    return valueLengths[checkIndex(index)];
  }

  private int checkIndex(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException(index);
    }
    return index;
  }

  /** Index of the first attribute of {@code type}, or -1 (§14: only the first one counts). */
  public int indexOf(int type) {
    for (int i = 0; i < count; i++) {
      if (types[i] == type) {
        return i;
      }
    }
    return NOT_FOUND;
  }

  public boolean has(int type) {
    return indexOf(type) != NOT_FOUND;
  }

  /** Whether the first {@code type} attribute's value equals {@code expected[eOff, eOff+eLen)}. */
  public boolean valueEquals(int type, byte[] expected, int eOff, int eLen) {
    int i = indexOf(type);
    if (i == NOT_FOUND || valueLengths[i] != eLen) {
      return false;
    }
    int v = valueOffsets[i];
    return Arrays.equals(buf, v, v + eLen, expected, eOff, eOff + eLen);
  }

  /** Whether the first {@code type} attribute's value starts with all of {@code prefix}. */
  public boolean valueStartsWith(int type, byte[] prefix) {
    int i = indexOf(type);
    if (i == NOT_FOUND || valueLengths[i] < prefix.length) {
      return false;
    }
    int v = valueOffsets[i];
    return Arrays.equals(buf, v, v + prefix.length, prefix, 0, prefix.length);
  }

  /** USERNAME as UTF-8 text, or null if absent. */
  public String username() {
    return text(StunAttribute.USERNAME);
  }

  /** SOFTWARE as UTF-8 text, or null if absent. */
  public String software() {
    return text(StunAttribute.SOFTWARE);
  }

  /** REALM as UTF-8 text, or null if absent. */
  public String realm() {
    return text(StunAttribute.REALM);
  }

  /** NONCE as UTF-8 text, or null if absent. */
  public String nonce() {
    return text(StunAttribute.NONCE);
  }

  /** The first {@code type} attribute decoded as UTF-8, or null if absent. */
  public String text(int type) {
    int i = indexOf(type);
    return i == NOT_FOUND
        ? null
        : new String(buf, valueOffsets[i], valueLengths[i], StandardCharsets.UTF_8);
  }

  /** PRIORITY (RFC 8445 §7.1.1) as an unsigned value, or -1 if absent. */
  public long priority() {
    int i = indexOf(StunAttribute.PRIORITY);
    return i == NOT_FOUND ? -1 : u32(buf, valueOffsets[i]) & 0xFFFFFFFFL;
  }

  /** Whether USE-CANDIDATE is present (RFC 8445 §7.1.2). */
  public boolean useCandidate() {
    return has(StunAttribute.USE_CANDIDATE);
  }

  /** Whether the sender claims the controlling role (ICE-CONTROLLING present). */
  public boolean iceControlling() {
    return has(StunAttribute.ICE_CONTROLLING);
  }

  /** Whether the sender claims the controlled role (ICE-CONTROLLED present). */
  public boolean iceControlled() {
    return has(StunAttribute.ICE_CONTROLLED);
  }

  /** The 64-bit tie-breaker of ICE-CONTROLLING or ICE-CONTROLLED, or 0 if neither is present. */
  public long iceTieBreaker() {
    int i = indexOf(StunAttribute.ICE_CONTROLLING);
    if (i == NOT_FOUND) {
      i = indexOf(StunAttribute.ICE_CONTROLLED);
    }
    return i == NOT_FOUND ? 0 : u64(buf, valueOffsets[i]);
  }

  /** ERROR-CODE as class * 100 + number (RFC 8489 §14.8), or -1 if absent. */
  public int errorCode() {
    int i = indexOf(StunAttribute.ERROR_CODE);
    if (i == NOT_FOUND) {
      return -1;
    }
    int v = valueOffsets[i];
    return (buf[v + 2] & 0x07) * 100 + (buf[v + 3] & 0xFF);
  }

  /** ERROR-CODE reason phrase, or null if absent. */
  public String errorReason() {
    int i = indexOf(StunAttribute.ERROR_CODE);
    return i == NOT_FOUND
        ? null
        : new String(buf, valueOffsets[i] + 4, valueLengths[i] - 4, StandardCharsets.UTF_8);
  }

  /** XOR-MAPPED-ADDRESS decoded, or null if absent. */
  public InetSocketAddress xorMappedAddress() {
    return address(StunAttribute.XOR_MAPPED_ADDRESS);
  }

  /** MAPPED-ADDRESS decoded, or null if absent. */
  public InetSocketAddress mappedAddress() {
    return address(StunAttribute.MAPPED_ADDRESS);
  }

  /** Decodes the first address attribute of {@code type}; XOR types are unmasked. */
  public InetSocketAddress address(int type) {
    int i = indexOf(type);
    return i == NOT_FOUND ? null : addressAt(i);
  }

  /**
   * Decodes attribute {@code i} as an address (XOR unless MAPPED-ADDRESS), or null if its value is
   * not one. TURN's CreatePermission may carry several XOR-PEER-ADDRESS (RFC 8656 §10.1).
   */
  public InetSocketAddress addressAt(int i) {
    int type = types[checkIndex(i)];
    boolean xor = type != StunAttribute.MAPPED_ADDRESS;
    if (!StunAddresses.isValid(buf, valueOffsets[i], valueLengths[i])) {
      return null; // an address-shaped attribute type this parser does not validate
    }
    return StunAddresses.decode(buf, valueOffsets[i], valueLengths[i], xor, off);
  }

  public boolean hasMessageIntegrity() {
    return integrityIndex != NOT_FOUND;
  }

  public boolean hasFingerprint() {
    return fingerprintIndex != NOT_FOUND;
  }

  /** Offset of the MESSAGE-INTEGRITY value, or -1. Package use by {@link StunIntegrity}. */
  int integrityValueOffset() {
    return integrityIndex == NOT_FOUND ? NOT_FOUND : valueOffsets[integrityIndex];
  }

  /**
   * Checks FINGERPRINT (RFC 8489 §14.7): CRC-32 of everything before the attribute, xor "STUN". The
   * header length already covers FINGERPRINT because parsing guarantees it is last. False if
   * absent.
   */
  public boolean verifyFingerprint() {
    if (fingerprintIndex == NOT_FOUND) {
      return false;
    }
    int value = valueOffsets[fingerprintIndex];
    crc.reset();
    crc.update(buf, off, value - 4 - off);
    int expected = (int) crc.getValue() ^ FINGERPRINT_XOR;
    return u32(buf, value) == expected;
  }

  /**
   * Checks MESSAGE-INTEGRITY with {@code key} (short-term: the password; long-term: {@link
   * StunCredentials#longTermKey}). Allocates a MAC per call; hold a {@link StunIntegrity} per key
   * when checking repeatedly.
   */
  public boolean verifyMessageIntegrity(byte[] key) {
    return hasMessageIntegrity() && new StunIntegrity(key).verify(this);
  }

  /** Same as {@link #verifyMessageIntegrity(byte[])} with a reusable key. */
  public boolean verifyMessageIntegrity(StunIntegrity integrity) {
    return integrity.verify(this);
  }

  static int u16(byte[] b, int i) {
    return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
  }

  static int u32(byte[] b, int i) {
    return ((b[i] & 0xFF) << 24)
        | ((b[i + 1] & 0xFF) << 16)
        | ((b[i + 2] & 0xFF) << 8)
        | (b[i + 3] & 0xFF);
  }

  static long u64(byte[] b, int i) {
    return ((long) u32(b, i) << 32) | (u32(b, i + 4) & 0xFFFFFFFFL);
  }

  /** Class, method and attribute types only: never values, which may carry credentials. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("StunMessage{").append(messageClass());
    sb.append(" method=0x").append(Integer.toHexString(method())).append(" attrs=[");
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "0x" : ", 0x").append(Integer.toHexString(types[i]));
    }
    return sb.append("]}").toString();
  }
}
