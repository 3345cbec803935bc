package eu.visio.media.rtcp;

import eu.visio.media.rtp.SequenceNumbers;
import java.util.ArrayList;
import java.util.List;

/**
 * Generic NACK, RTPFB (PT=205) FMT=1 (RFC 4585 §6.2.1). Each FCI entry reports a lost packet id
 * (PID) and a bitmask (BLP) of the 16 following sequence numbers also lost: bit i (LSB = 0) set
 * means PID+i+1 is lost.
 *
 * <pre>
 * FCI entry: PID (16) | BLP (16)
 * </pre>
 */
public record GenericNack(int senderSsrc, int mediaSsrc, List<GenericNack.Entry> entries)
    implements RtcpPacket {

  /**
   * One FCI entry.
   *
   * @param pid first lost sequence number of the entry
   * @param blp bitmask of lost packets following PID
   */
  public record Entry(int pid, int blp) {
    public Entry {
      if ((pid & ~0xFFFF) != 0 || (blp & ~0xFFFF) != 0) {
        throw new IllegalArgumentException("PID and BLP are 16-bit");
      }
    }
  }

  public GenericNack {
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("NACK needs at least one entry");
    }
  }

  /**
   * Packs lost sequence numbers, given in ascending wrap-aware order, into the fewest entries: each
   * PID opens a window covering itself and the next 16 numbers. Duplicates are ignored.
   */
  public static GenericNack fromLost(int senderSsrc, int mediaSsrc, List<Integer> lost) {
    List<Entry> entries = new ArrayList<>();
    int pid = -1;
    int blp = 0;
    for (int raw : lost) {
      int seq = raw & 0xFFFF;
      int d = pid < 0 ? -1 : SequenceNumbers.diff(seq, pid);
      if (d == 0) {
        continue;
      }
      if (d >= 1 && d <= 16) {
        blp |= 1 << (d - 1);
        continue;
      }
      if (pid >= 0) {
        entries.add(new Entry(pid, blp));
      }
      pid = seq;
      blp = 0;
    }
    if (pid >= 0) {
      entries.add(new Entry(pid, blp));
    }
    return new GenericNack(senderSsrc, mediaSsrc, entries);
  }

  /** Every sequence number reported lost, in entry order. */
  public List<Integer> lostSequences() {
    List<Integer> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(e.pid());
      for (int i = 0; i < 16; i++) {
        if ((e.blp() & (1 << i)) != 0) {
          out.add(SequenceNumbers.add(e.pid(), i + 1));
        }
      }
    }
    return out;
  }

  static GenericNack parse(byte[] b, int off, int len) throws RtcpParseException {
    int end = RtcpHeader.contentEnd(b, off, len);
    RtcpHeader.require(off, end, 16, "NACK too short");
    int n = (end - off - 12) / 4;
    List<Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int p = off + 12 + 4 * i;
      entries.add(new Entry(ByteIo.u16(b, p), ByteIo.u16(b, p + 2)));
    }
    return new GenericNack(ByteIo.u32(b, off + 4), ByteIo.u32(b, off + 8), entries);
  }

  @Override
  public int length() {
    return 12 + 4 * entries.size();
  }

  @Override
  public int write(byte[] b, int off) {
    int length = length();
    RtcpHeader.write(b, off, false, RtcpHeader.FMT_NACK, RtcpHeader.RTPFB, length);
    ByteIo.put32(b, off + 4, senderSsrc);
    ByteIo.put32(b, off + 8, mediaSsrc);
    int p = off + 12;
    for (Entry e : entries) {
      ByteIo.put16(b, p, e.pid());
      ByteIo.put16(b, p + 2, e.blp());
      p += 4;
    }
    return length;
  }
}
