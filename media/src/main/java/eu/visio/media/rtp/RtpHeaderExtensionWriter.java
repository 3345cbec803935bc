package eu.visio.media.rtp;

import java.util.Arrays;

/**
 * Builds an RFC 8285 header extension block, and whole packets carrying it, when the set of
 * extensions changes (an element is added, removed or grows), which cannot be done in place.
 * Same-length value changes should use {@link RtpPacket#writeExtension} instead.
 *
 * <p>Reusable and allocation-free in steady state: values live in one internal byte array, indexed
 * by id. The one-byte form (RFC 8285 §4.2) is chosen when every id is 1..14 and every value 1..16
 * bytes; otherwise the two-byte form (§4.3, ids 1..255, values 0..255 bytes). Elements are written
 * in ascending id order and the block is zero-padded to a 32-bit boundary (padding bytes are the
 * RFC 8285 padding element, id 0).
 */
public final class RtpHeaderExtensionWriter {
  private static final int ABSENT = -1;

  private byte[] data = new byte[512];
  private int used;
  private int count;
  private final int[] valueOffset = new int[RtpPacket.MAX_EXTENSION_ID + 1];
  private final int[] valueLength = new int[RtpPacket.MAX_EXTENSION_ID + 1];

  public RtpHeaderExtensionWriter() {
    clear();
  }

  /** Removes every element. */
  public void clear() {
    Arrays.fill(valueLength, ABSENT);
    used = 0;
    count = 0;
  }

  /** Number of elements currently set. */
  public int size() {
    return count;
  }

  /**
   * Adds extension {@code id} or replaces its value. Throws IllegalArgumentException for an id
   * outside 1..255 or a value longer than 255 bytes: those are programming errors, not input.
   */
  public void set(int id, byte[] src, int srcOff, int length) {
    if (id < 1 || id > RtpPacket.MAX_EXTENSION_ID) {
      throw new IllegalArgumentException("extension id out of range: " + id);
    }
    if (length < 0 || length > 255) {
      throw new IllegalArgumentException("extension value length out of range: " + length);
    }
    int p = reserve(id, length);
    System.arraycopy(src, srcOff, data, p, length);
  }

  /** Adds or replaces {@code id} with the low {@code length} (1..8) bytes of value, big-endian. */
  public void setValue(int id, long value, int length) {
    if (length < 1 || length > 8) {
      throw new IllegalArgumentException("value length must be 1..8: " + length);
    }
    if (id < 1 || id > RtpPacket.MAX_EXTENSION_ID) {
      throw new IllegalArgumentException("extension id out of range: " + id);
    }
    int p = reserve(id, length);
    for (int i = length - 1; i >= 0; i--) {
      data[p + i] = (byte) value;
      value >>>= 8;
    }
  }

  /** Removes {@code id}; returns whether it was present. */
  public boolean remove(int id) {
    if (id < 1 || id > RtpPacket.MAX_EXTENSION_ID || valueLength[id] == ABSENT) {
      return false;
    }
    valueLength[id] = ABSENT;
    count--;
    return true;
  }

  public boolean contains(int id) {
    return id >= 1 && id <= RtpPacket.MAX_EXTENSION_ID && valueLength[id] != ABSENT;
  }

  /** Replaces the content of this writer with every indexed extension of {@code packet}. */
  public void copyFrom(RtpPacket packet) {
    clear();
    byte[] src = packet.buffer();
    for (int id = 1; id <= RtpPacket.MAX_EXTENSION_ID; id++) {
      int l = packet.extensionLength(id);
      if (l >= 0) {
        set(id, src, packet.extensionOffset(id), l);
      }
    }
  }

  // Same or shorter values are rewritten in place; longer ones are appended. Space is reclaimed on
  // clear(), which callers do per packet, so the array grows only to the largest block seen.
  private int reserve(int id, int length) {
    if (valueLength[id] != ABSENT && valueLength[id] >= length) {
      valueLength[id] = length;
      return valueOffset[id];
    }
    if (valueLength[id] == ABSENT) {
      count++;
    }
    if (used + length > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, used + length));
    }
    valueOffset[id] = used;
    valueLength[id] = length;
    used += length;
    return valueOffset[id];
  }

  /** True when the one-byte form can carry every element. */
  public boolean fitsOneByteForm() {
    for (int id = 1; id <= RtpPacket.MAX_EXTENSION_ID; id++) {
      int l = valueLength[id];
      if (l != ABSENT && (id > 14 || l < 1 || l > 16)) {
        return false;
      }
    }
    return true;
  }

  /** Bytes the block takes: 4-byte header plus padded elements, or 0 when empty. */
  public int blockLength() {
    if (count == 0) {
      return 0;
    }
    int perElement = fitsOneByteForm() ? 1 : 2;
    int body = 0;
    for (int id = 1; id <= RtpPacket.MAX_EXTENSION_ID; id++) {
      if (valueLength[id] != ABSENT) {
        body += perElement + valueLength[id];
      }
    }
    return 4 + ((body + 3) & ~3);
  }

  /**
   * Writes the block (profile, length in words, elements, zero padding) at {@code dst[off]} and
   * returns its length, 0 when there are no elements.
   */
  public int write(byte[] dst, int off) {
    int total = blockLength();
    if (total == 0) {
      return 0;
    }
    boolean oneByte = fitsOneByteForm();
    int profile = oneByte ? RtpPacket.ONE_BYTE_PROFILE : RtpPacket.TWO_BYTE_PROFILE;
    int words = (total - 4) / 4;
    dst[off] = (byte) (profile >>> 8);
    dst[off + 1] = (byte) profile;
    dst[off + 2] = (byte) (words >>> 8);
    dst[off + 3] = (byte) words;
    int p = off + 4;
    for (int id = 1; id <= RtpPacket.MAX_EXTENSION_ID; id++) {
      int l = valueLength[id];
      if (l == ABSENT) {
        continue;
      }
      if (oneByte) {
        dst[p++] = (byte) ((id << 4) | (l - 1));
      } else {
        dst[p++] = (byte) id;
        dst[p++] = (byte) l;
      }
      System.arraycopy(data, valueOffset[id], dst, p, l);
      p += l;
    }
    Arrays.fill(dst, p, off + total, (byte) 0);
    return total;
  }

  /**
   * Writes {@code src} to {@code dst[off]} with this writer's extension block in place of its own:
   * fixed header and CSRCs copied (X bit set when the block is non-empty, P bit cleared), then the
   * block, then the payload without padding. Returns the packet length. {@code dst} must not
   * overlap the source packet and must have room for {@link #packetLength(RtpPacket)} bytes.
   */
  public int writePacket(RtpPacket src, byte[] dst, int off) {
    byte[] s = src.buffer();
    int fixed = RtpPacket.FIXED_HEADER_LENGTH + 4 * src.csrcCount();
    System.arraycopy(s, src.offset(), dst, off, fixed);
    int block = write(dst, off + fixed);
    dst[off] = (byte) ((dst[off] & 0xCF) | (block > 0 ? 0x10 : 0));
    System.arraycopy(s, src.payloadOffset(), dst, off + fixed + block, src.payloadLength());
    return fixed + block + src.payloadLength();
  }

  /** Length {@link #writePacket} will produce for {@code src}. */
  public int packetLength(RtpPacket src) {
    return RtpPacket.FIXED_HEADER_LENGTH
        + 4 * src.csrcCount()
        + blockLength()
        + src.payloadLength();
  }
}
