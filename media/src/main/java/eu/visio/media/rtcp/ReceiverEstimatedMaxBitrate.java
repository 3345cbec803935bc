package eu.visio.media.rtcp;

import java.util.ArrayList;
import java.util.List;

/**
 * Receiver Estimated Max Bitrate (draft-alvestrand-rmcat-remb-03 §2.2): PSFB (PT=206) FMT=15
 * application layer feedback whose FCI starts with the ASCII tag "REMB". The media source field is
 * 0; the bitrate is {@code mantissa << exp} bits per second.
 *
 * <pre>
 * 'R' 'E' 'M' 'B' | Num SSRC (8) | BR Exp (6) | BR Mantissa (18) | SSRC feedback x Num SSRC
 * </pre>
 */
public record ReceiverEstimatedMaxBitrate(int senderSsrc, long bitrate, List<Integer> ssrcs)
    implements RtcpPacket {

  private static final int TAG = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';
  private static final int MAX_MANTISSA = 0x3FFFF;

  public ReceiverEstimatedMaxBitrate {
    ssrcs = List.copyOf(ssrcs);
    if (bitrate < 0) {
      throw new IllegalArgumentException("bitrate must be >= 0: " + bitrate);
    }
    if (ssrcs.size() > 255) {
      throw new IllegalArgumentException("at most 255 SSRCs per REMB: " + ssrcs.size());
    }
  }

  static boolean isRemb(byte[] b, int off, int len) {
    return len >= 16 && ByteIo.u32(b, off + 12) == TAG;
  }

  static ReceiverEstimatedMaxBitrate parse(byte[] b, int off, int len) throws RtcpParseException {
    int end = RtcpHeader.contentEnd(b, off, len);
    RtcpHeader.require(off, end, 20, "REMB too short");
    if (ByteIo.u32(b, off + 12) != TAG) {
      throw new RtcpParseException("REMB tag missing");
    }
    int n = ByteIo.u8(b, off + 16);
    int exp = ByteIo.u8(b, off + 17) >>> 2;
    long mantissa = ByteIo.u24(b, off + 17) & MAX_MANTISSA;
    RtcpHeader.require(off, end, 20 + 4 * n, "REMB SSRC list overruns packet");
    // An 18-bit mantissa shifted by up to 63 can leave the 63 bits of a positive long.
    long bitrate = mantissa << exp;
    if (bitrate >>> exp != mantissa || bitrate < 0) {
      throw new RtcpParseException("REMB bitrate overflows");
    }
    List<Integer> ssrcs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ssrcs.add(ByteIo.u32(b, off + 20 + 4 * i));
    }
    return new ReceiverEstimatedMaxBitrate(ByteIo.u32(b, off + 4), bitrate, ssrcs);
  }

  @Override
  public int length() {
    return 20 + 4 * ssrcs.size();
  }

  /** Writes the bitrate rounded down to 18 significant bits, as the draft's encoding forces. */
  @Override
  public int write(byte[] b, int off) {
    int length = length();
    RtcpHeader.write(b, off, false, RtcpHeader.FMT_AFB, RtcpHeader.PSFB, length);
    ByteIo.put32(b, off + 4, senderSsrc);
    ByteIo.put32(b, off + 8, 0);
    ByteIo.put32(b, off + 12, TAG);
    int exp = 0;
    while ((bitrate >>> exp) > MAX_MANTISSA) {
      exp++;
    }
    b[off + 16] = (byte) ssrcs.size();
    ByteIo.put24(b, off + 17, (exp << 18) | (int) (bitrate >>> exp));
    int p = off + 20;
    for (int ssrc : ssrcs) {
      ByteIo.put32(b, p, ssrc);
      p += 4;
    }
    return length;
  }
}
