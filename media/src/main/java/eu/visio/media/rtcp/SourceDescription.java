package eu.visio.media.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Source description, PT=202 (RFC 3550 §6.5), reduced to what WebRTC uses: the CNAME item of each
 * chunk. Other items are skipped on parse and not re-emitted.
 *
 * <pre>
 * chunk: SSRC/CSRC (32) | item type (8) | length (8) | text ... | 0 (END) | pad to 32 bits
 * </pre>
 */
public record SourceDescription(List<SourceDescription.Chunk> chunks) implements RtcpPacket {

  /** SDES item type of the canonical name (RFC 3550 §6.5.1). */
  public static final int CNAME = 1;

  /**
   * One chunk: a source and its CNAME ("" when the chunk has none).
   *
   * @param ssrc the source described
   * @param cname canonical end-point name, at most 255 UTF-8 bytes
   */
  public record Chunk(int ssrc, String cname) {
    public Chunk {
      if (cname.getBytes(StandardCharsets.UTF_8).length > 255) {
        throw new IllegalArgumentException("CNAME longer than 255 bytes");
      }
    }

    int length() {
      int items = cname.isEmpty() ? 0 : 2 + cname.getBytes(StandardCharsets.UTF_8).length;
      // SSRC, items, then at least one null octet (END) padded to the next 32-bit boundary.
      return 4 + ((items + 4) & ~3);
    }
  }

  public SourceDescription {
    chunks = List.copyOf(chunks);
    if (chunks.size() > RtcpHeader.MAX_COUNT) {
      throw new IllegalArgumentException("at most 31 SDES chunks: " + chunks.size());
    }
  }

  /** A one-chunk SDES carrying a CNAME, as every regular compound needs (RFC 3550 §6.1). */
  public static SourceDescription cname(int ssrc, String cname) {
    return new SourceDescription(List.of(new Chunk(ssrc, cname)));
  }

  static SourceDescription parse(byte[] b, int off, int len) throws RtcpParseException {
    int end = RtcpHeader.contentEnd(b, off, len);
    int sc = RtcpHeader.count(b, off);
    List<Chunk> chunks = new ArrayList<>(sc);
    int p = off + RtcpHeader.LENGTH;
    for (int i = 0; i < sc; i++) {
      RtcpHeader.require(p, end, 4, "SDES chunk truncated");
      int ssrc = ByteIo.u32(b, p);
      p += 4;
      String cname = "";
      while (true) {
        RtcpHeader.require(p, end, 1, "SDES item list not terminated");
        int type = ByteIo.u8(b, p);
        if (type == 0) {
          // END: the null octet(s) run to the next 32-bit boundary of the packet.
          p = off + ((p - off + 4) & ~3);
          break;
        }
        RtcpHeader.require(p, end, 2, "SDES item truncated");
        int itemLength = ByteIo.u8(b, p + 1);
        RtcpHeader.require(p + 2, end, itemLength, "SDES item overruns packet");
        if (type == CNAME) {
          cname = new String(b, p + 2, itemLength, StandardCharsets.UTF_8);
        }
        p += 2 + itemLength;
      }
      chunks.add(new Chunk(ssrc, truncateUtf8(cname)));
    }
    return new SourceDescription(chunks);
  }

  /**
   * Malformed UTF-8 decodes to U+FFFD (3 bytes), which can push a 255-byte item over the limit when
   * re-encoded; cut whole code points rather than fail a report over a cosmetic field.
   */
  static String truncateUtf8(String s) {
    String out = s;
    while (out.getBytes(StandardCharsets.UTF_8).length > 255) {
      out = out.substring(0, out.offsetByCodePoints(out.length(), -1));
    }
    return out;
  }

  @Override
  public int length() {
    int total = RtcpHeader.LENGTH;
    for (Chunk c : chunks) {
      total += c.length();
    }
    return total;
  }

  @Override
  public int write(byte[] b, int off) {
    int length = length();
    RtcpHeader.write(b, off, false, chunks.size(), RtcpHeader.SDES, length);
    int p = off + RtcpHeader.LENGTH;
    for (Chunk c : chunks) {
      int chunkEnd = p + c.length();
      ByteIo.put32(b, p, c.ssrc());
      p += 4;
      if (!c.cname().isEmpty()) {
        byte[] text = c.cname().getBytes(StandardCharsets.UTF_8);
        b[p] = CNAME;
        b[p + 1] = (byte) text.length;
        System.arraycopy(text, 0, b, p + 2, text.length);
        p += 2 + text.length;
      }
      while (p < chunkEnd) {
        b[p++] = 0;
      }
    }
    return length;
  }
}
