package eu.visio.sfu.svc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An L3T3 publisher as libwebrtc sends it: pictures with temporal pattern T0 T2 T1 T2, each with a
 * frame per spatial layer S0, S1, S2, each frame in two packets, the RTP marker on the last packet
 * of S2. Every packet carries both its VP9 descriptor (non-flexible mode) and its AV1 dependency
 * descriptor, so one stream drives both filters.
 */
public final class SvcStream {
  static final int[] PATTERN = {0, 2, 1, 2};
  static final int PACKETS_PER_FRAME = 2;

  /** One RTP packet. */
  public record Packet(
      int seq,
      int ts,
      boolean marker,
      int picture,
      int sid,
      int tid,
      boolean first,
      boolean last,
      boolean key,
      byte[] vp9,
      byte[] dd) {
    @Override
    public String toString() {
      return "p" + picture + "s" + sid + "t" + tid + (first ? "B" : "") + (last ? "E" : "");
    }
  }

  private final Structures.Structure structure;
  private final boolean kSvc;
  private final int firstFrame;

  /** A stream described by {@code structure}; {@code kSvc}: inter-layer prediction on keys only. */
  SvcStream(Structures.Structure structure, boolean kSvc, int firstFrame) {
    this.structure = structure;
    this.kSvc = kSvc;
    this.firstFrame = firstFrame;
  }

  public static SvcStream fullSvc() {
    return new SvcStream(Structures.L3T3, false, 65500); // frame numbers wrap in the test range
  }

  static SvcStream kSvc() {
    return new SvcStream(Structures.L3T3_KEY, true, 0);
  }

  /** Pictures {@code from} until {@code to} (exclusive); key pictures must be at T0 positions. */
  public List<Packet> pictures(int from, int to, Set<Integer> keys) {
    List<Packet> out = new ArrayList<>();
    for (int p = from; p < to; p++) {
      boolean key = keys.contains(p);
      int tid = PATTERN[p % 4];
      if (key && tid != 0) {
        throw new IllegalArgumentException("key picture " + p + " at T" + tid);
      }
      for (int s = 0; s < 3; s++) {
        for (int k = 0; k < PACKETS_PER_FRAME; k++) {
          boolean first = k == 0;
          boolean last = k == PACKETS_PER_FRAME - 1;
          int seq = (p * 3 + s) * PACKETS_PER_FRAME + k;
          out.add(
              new Packet(
                  seq & 0xFFFF,
                  p * 3000,
                  last && s == 2,
                  p,
                  s,
                  tid,
                  first,
                  last,
                  key,
                  vp9(p, s, tid, first, last, key),
                  dd(p, s, tid, first, last, key)));
        }
      }
    }
    return out;
  }

  private byte[] vp9(int p, int s, int tid, boolean first, boolean last, boolean key) {
    boolean ss = key && s == 0 && first;
    int b0 = 0x80 | (key ? 0 : 0x40) | 0x20 | (first ? 0x08 : 0) | (last ? 0x04 : 0);
    b0 |= ss ? 0x02 : 0;
    boolean u = !key && (p % 4 == 1 || p % 4 == 2);
    boolean d = s > 0 && (key || !kSvc);
    int l = tid << 5 | (u ? 0x10 : 0) | s << 1 | (d ? 1 : 0);
    int pid = p & 0x7FFF;
    int tl0 = (p / 4) & 0xFF;
    byte[] head = {
      (byte) b0, (byte) (0x80 | pid >>> 8), (byte) pid, (byte) l, (byte) tl0,
    };
    byte[] out = new byte[head.length + (ss ? 1 : 0) + 1];
    System.arraycopy(head, 0, out, 0, head.length);
    if (ss) {
      out[head.length] = 0x40; // N_S 2, no resolutions, no group
    }
    return out;
  }

  private byte[] dd(int p, int s, int tid, boolean first, boolean last, boolean key) {
    int nth = tid == 0 && !key ? 1 : 0;
    int index = structure.templateFor(s, tid, nth);
    DdBuilder b =
        DdBuilder.of(structure).frame(first, last, structure.templateId(index), frameNumber(p, s));
    if (key && s == 0 && first) {
      b.attach(structure);
    }
    return b.bytes();
  }

  public int frameNumber(int picture, int sid) {
    return (firstFrame + picture * 3 + sid) & 0xFFFF;
  }
}
