package eu.visio.loadtest.bot;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.rtcp.RtcpCompoundIterator;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.sfu.layer.Vp8Descriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One simulated second of a publisher, driven by its own clock argument. */
class PublisherTest {
  static final class Capture implements PacketOut {
    final byte[] buf = new byte[1600];
    final List<byte[]> rtp = new ArrayList<>();
    final List<byte[]> rtcp = new ArrayList<>();

    @Override
    public byte[] buffer() {
      return buf;
    }

    @Override
    public void sendRtp(int len) {
      rtp.add(Arrays.copyOf(buf, len));
    }

    @Override
    public void sendRtcp(int len) {
      rtcp.add(Arrays.copyOf(buf, len));
    }
  }

  private static Map<Integer, List<RtpPacket>> bySsrc(List<byte[]> packets) {
    Map<Integer, List<RtpPacket>> m = new HashMap<>();
    for (byte[] p : packets) {
      RtpPacket r = new RtpPacket();
      assertThat(r.wrap(p, 0, p.length)).isTrue();
      m.computeIfAbsent(r.ssrc(), k -> new ArrayList<>()).add(r);
    }
    return m;
  }

  private static void run(Publisher p, long from, long nanos) {
    for (long t = from; t < from + nanos; t += 1_000_000L) {
      p.tick(t);
    }
  }

  @Test
  void oneSecondIsFiftyAudioPacketsAndThirtyFramesPerLayer() {
    Capture out = new Capture();
    Publisher p = new Publisher(7, MediaConfig.audioVideo(), out, Publisher.ssrcBase(7));
    long t0 = System.nanoTime();
    run(p, t0, 1_000_000_000L);
    Map<Integer, List<RtpPacket>> streams = bySsrc(out.rtp);
    int base = Publisher.ssrcBase(7);
    // 50 and 30 per second, give or take the one at the edge of the second.
    assertThat(streams.get(base | 3).size()).isBetween(49, 51);
    Vp8Descriptor d = new Vp8Descriptor();
    int[] expectedPerFrame = {1, 2, 6}; // 150, 500, 1,700 kbit/s in 1,200-byte packets
    for (int layer = 0; layer < 3; layer++) {
      List<RtpPacket> packets = streams.get(base | layer);
      long frames = packets.stream().filter(RtpPacket::marker).count();
      // The first frame is due at a random point of the first 33 ms (bots do not send in step):
      // the second's edge may fall just before its 30th frame or just after a 31st.
      assertThat(frames).as("frames of layer %d", layer).isBetween(29L, 31L);
      assertThat(packets.size())
          .as("packets of layer %d", layer)
          .isBetween(
              (int) frames * expectedPerFrame[layer],
              (int) frames * expectedPerFrame[layer] + 30 * 4);
      RtpPacket first = packets.getFirst();
      assertThat(d.parse(first.buffer(), first.payloadOffset(), first.payloadLength())).isTrue();
      assertThat(d.keyframe()).as("a stream starts with a keyframe").isTrue();
      for (RtpPacket r : packets) {
        assertThat(r.length()).isLessThanOrEqualTo(1200);
        assertThat(r.readExtension(RtpOut.EXT_RID)).isEqualTo("qhf".charAt(layer));
        assertThat(Stamp.layer(r.buffer(), r.payloadOffset() + r.payloadLength())).isEqualTo(layer);
        assertThat(Stamp.publisher(r.buffer(), r.payloadOffset() + r.payloadLength())).isEqualTo(7);
      }
    }
    run(p, t0 + 1_000_000_000L, 100_000_000L);
    assertThat(out.rtcp).as("sender reports after a second").hasSize(1);
    byte[] sr = out.rtcp.getFirst();
    assertThat(sr.length).as("one SR per stream").isEqualTo(4 * 28);
    assertThat(sr[1] & 0xFF).isEqualTo(200);
  }

  @Test
  void aPliGetsTheNamedLayerAKeyframeAndADisabledLayerStops() {
    Capture out = new Capture();
    Publisher p = new Publisher(0, MediaConfig.audioVideo(), out, Publisher.ssrcBase(0));
    long t = System.nanoTime();
    run(p, t, 500_000_000L);
    out.rtp.clear();
    int high = Publisher.ssrcBase(0) | 2;
    byte[] pli = new byte[12];
    RtpOut.pli(pli, 0, 99, high);
    p.onRtcp(new RtcpCompoundIterator(), pli, 0, pli.length);
    p.setLayerEnabled(0, false);
    run(p, t + 500_000_000L, 100_000_000L);
    Map<Integer, List<RtpPacket>> streams = bySsrc(out.rtp);
    assertThat(streams).doesNotContainKey(Publisher.ssrcBase(0));
    Vp8Descriptor d = new Vp8Descriptor();
    RtpPacket first = streams.get(high).getFirst();
    assertThat(d.parse(first.buffer(), first.payloadOffset(), first.payloadLength())).isTrue();
    assertThat(d.keyframe()).isTrue();
    RtpPacket medium = streams.get(Publisher.ssrcBase(0) | 1).getFirst();
    assertThat(d.parse(medium.buffer(), medium.payloadOffset(), medium.payloadLength())).isTrue();
    assertThat(d.keyframe()).as("only the layer asked for").isFalse();
  }
}
