package eu.visio.media.stun;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Encodes one STUN message into a caller-supplied buffer (RFC 8489 §5, §14). Reusable: call {@link
 * #start}, add attributes in order, optionally {@link #addMessageIntegrity} then {@link
 * #addFingerprint} (which must come last), then {@link #finish} for the length. The header length
 * field is kept current after every attribute, which is what MESSAGE-INTEGRITY and FINGERPRINT are
 * computed over (§14.5, §14.7). Padding bytes are written as zero. Not thread-safe.
 *
 * <p>A buffer too small for what is added is a programming error and throws {@link
 * IndexOutOfBoundsException}; a 1500-byte MTU buffer always fits an ICE response.
 */
public final class StunWriter {
  private final CRC32 crc = new CRC32();
  private byte[] buf;
  private int start;
  private int pos;
  private int limit;
  private boolean fingerprinted;

  /**
   * Begins a message at {@code buf[off...]}, using at most {@code capacity} bytes, and copies the
   * 12-byte transaction id from {@code txId[txOff...]}.
   */
  public StunWriter start(
      byte[] buf, int off, int capacity, StunClass cls, int method, byte[] txId, int txOff) {
    if (off < 0 || capacity < StunMessage.HEADER_LENGTH || off > buf.length - capacity) {
      throw new IndexOutOfBoundsException("no room for a STUN header");
    }
    this.buf = buf;
    this.start = off;
    this.pos = off + StunMessage.HEADER_LENGTH;
    this.limit = off + capacity;
    this.fingerprinted = false;
    int type = StunMethod.messageType(cls, method);
    buf[off] = (byte) (type >>> 8);
    buf[off + 1] = (byte) type;
    buf[off + 2] = 0;
    buf[off + 3] = 0;
    putInt(off + 4, StunMessage.MAGIC_COOKIE);
    System.arraycopy(
        txId,
        txOff,
        buf,
        off + StunMessage.TRANSACTION_ID_OFFSET,
        StunMessage.TRANSACTION_ID_LENGTH);
    return this;
  }

  /** Begins a response to {@code request}: same method and transaction id. */
  public StunWriter startResponse(
      byte[] buf, int off, int capacity, StunClass cls, StunMessage request) {
    return start(
        buf, off, capacity, cls, request.method(), request.buffer(), request.transactionIdOffset());
  }

  /** Adds an attribute whose value is {@code v[vOff, vOff+vLen)}. */
  public StunWriter addBytes(int type, byte[] v, int vOff, int vLen) {
    int value = header(type, vLen);
    System.arraycopy(v, vOff, buf, value, vLen);
    return pad(value, vLen);
  }

  /** Adds a UTF-8 text attribute (USERNAME, SOFTWARE, REALM, NONCE). */
  public StunWriter addText(int type, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return addBytes(type, utf8, 0, utf8.length);
  }

  /** Adds a 32-bit attribute such as PRIORITY. */
  public StunWriter addUint32(int type, long v) {
    int value = header(type, 4);
    putInt(value, (int) v);
    return pad(value, 4);
  }

  /** Adds a 64-bit attribute such as ICE-CONTROLLING's tie-breaker. */
  public StunWriter addUint64(int type, long v) {
    int value = header(type, 8);
    putInt(value, (int) (v >>> 32));
    putInt(value + 4, (int) v);
    return pad(value, 8);
  }

  /** Adds an attribute with an empty value such as USE-CANDIDATE. */
  public StunWriter addFlag(int type) {
    return pad(header(type, 0), 0);
  }

  /** Adds XOR-MAPPED-ADDRESS (or another XOR-*-ADDRESS type) for a 4- or 16-byte address. */
  public StunWriter addXorAddress(int type, byte[] ip, int port) {
    return address(type, ip, port, true);
  }

  public StunWriter addXorAddress(int type, InetAddress address, int port) {
    return address(type, address.getAddress(), port, true);
  }

  /** Adds MAPPED-ADDRESS (unmasked; RFC 3489 clients only). */
  public StunWriter addMappedAddress(InetAddress address, int port) {
    return address(StunAttribute.MAPPED_ADDRESS, address.getAddress(), port, false);
  }

  private StunWriter address(int type, byte[] ip, int port, boolean xor) {
    if (ip.length != 4 && ip.length != 16) {
      throw new IllegalArgumentException("address must be 4 or 16 bytes");
    }
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range");
    }
    int length = StunAddresses.valueLength(ip.length);
    int value = header(type, length);
    StunAddresses.encode(buf, value, ip, port, xor, start);
    return pad(value, length);
  }

  /** Adds ERROR-CODE (RFC 8489 §14.8); {@code code} must be 300..699. */
  public StunWriter addErrorCode(int code, String reason) {
    if (code < 300 || code > 699) {
      throw new IllegalArgumentException("error code out of range: " + code);
    }
    byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
    int length = 4 + phrase.length;
    int value = header(StunAttribute.ERROR_CODE, length);
    buf[value] = 0;
    buf[value + 1] = 0;
    buf[value + 2] = (byte) (code / 100);
    buf[value + 3] = (byte) (code % 100);
    System.arraycopy(phrase, 0, buf, value + 4, phrase.length);
    return pad(value, length);
  }

  /** Adds ERROR-CODE with the RFC's default reason phrase. */
  public StunWriter addErrorCode(int code) {
    return addErrorCode(code, StunErrorCode.defaultReason(code));
  }

  /** Adds MESSAGE-INTEGRITY computed with {@code integrity}'s key over everything added so far. */
  public StunWriter addMessageIntegrity(StunIntegrity integrity) {
    int attribute = pos;
    int value = header(StunAttribute.MESSAGE_INTEGRITY, StunIntegrity.LENGTH);
    // header() already set the length field to include this attribute, as §14.5 requires.
    integrity.sign(buf, start, attribute, value + StunIntegrity.LENGTH - start - 20);
    return pad(value, StunIntegrity.LENGTH);
  }

  /** Adds FINGERPRINT (RFC 8489 §14.7); nothing may be added after it. */
  public StunWriter addFingerprint() {
    int attribute = pos;
    int value = header(StunAttribute.FINGERPRINT, 4);
    crc.reset();
    crc.update(buf, start, attribute - start);
    putInt(value, (int) crc.getValue() ^ StunMessage.FINGERPRINT_XOR);
    pad(value, 4);
    fingerprinted = true;
    return this;
  }

  /** Total message length in bytes, header included. */
  public int finish() {
    return pos - start;
  }

  /** Writes an attribute header, updates the message length, returns the value offset. */
  private int header(int type, int valueLength) {
    if (fingerprinted) {
      throw new IllegalStateException("FINGERPRINT must be the last attribute");
    }
    if (valueLength > 0xFFFF) {
      throw new IllegalArgumentException("attribute too long");
    }
    int padded = (valueLength + 3) & ~3;
    if (limit - pos < 4 + padded) {
      throw new IndexOutOfBoundsException("STUN buffer too small");
    }
    buf[pos] = (byte) (type >>> 8);
    buf[pos + 1] = (byte) type;
    buf[pos + 2] = (byte) (valueLength >>> 8);
    buf[pos + 3] = (byte) valueLength;
    int bodyLength = pos + 4 + padded - start - StunMessage.HEADER_LENGTH;
    buf[start + 2] = (byte) (bodyLength >>> 8);
    buf[start + 3] = (byte) bodyLength;
    return pos + 4;
  }

  private StunWriter pad(int value, int valueLength) {
    int end = value + ((valueLength + 3) & ~3);
    for (int i = value + valueLength; i < end; i++) {
      buf[i] = 0;
    }
    pos = end;
    return this;
  }

  private void putInt(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }
}
