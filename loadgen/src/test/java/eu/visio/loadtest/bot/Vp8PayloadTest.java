package eu.visio.loadtest.bot;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.sfu.layer.Vp8Descriptor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What bots write is what the SFU's own VP8 parser reads. */
class Vp8PayloadTest {
  @ParameterizedTest(name = "start={0} key={1} pid={2} tl0={3} tid={4}")
  @CsvSource({
    // start, keyframe, picture id, TL0PICIDX, TID
    "true,  true,  0,     0,   0",
    "true,  false, 32767, 255, 2",
    "false, false, 1234,  17,  1",
    "true,  false, 128,   1,   1",
  })
  void theSfuParsesTheDescriptorAndHeader(
      boolean start, boolean key, int pictureId, int tl0, int tid) {
    byte[] b = new byte[64];
    int n = Vp8Payload.writeDescriptor(b, 0, start, pictureId, tl0, tid, tid == 1);
    if (start) {
      n += Vp8Payload.writeHeader(b, n, key, 1000, 1280, 720);
    }
    n += 20; // frame data
    Vp8Descriptor d = new Vp8Descriptor();
    assertThat(d.parse(b, 0, n)).isTrue();
    assertThat(d.length()).isEqualTo(Vp8Payload.DESCRIPTOR_LENGTH);
    assertThat(d.frameStart()).isEqualTo(start);
    assertThat(d.pictureId()).isEqualTo(pictureId);
    assertThat(d.pictureIdBits()).isEqualTo(15);
    assertThat(d.tl0PicIdx()).isEqualTo(tl0);
    assertThat(d.tid()).isEqualTo(tid);
    assertThat(d.layerSync()).isEqualTo(tid == 1);
    assertThat(d.keyframe()).as("keyframe").isEqualTo(start && key);
  }

  @ParameterizedTest
  @CsvSource({"320, 180", "1280, 720", "16383, 16383"})
  void aKeyframeHeaderCarriesStartCodeAndSize(int width, int height) {
    byte[] b = new byte[16];
    assertThat(Vp8Payload.writeHeader(b, 0, true, 0x7FFFF, width, height))
        .isEqualTo(Vp8Payload.KEY_HEADER_LENGTH);
    assertThat(b[0] & 1).as("P bit 0: keyframe").isZero();
    assertThat(b[0] & 0x10).as("show_frame").isNotZero();
    assertThat(((b[0] & 0xFF) >>> 5 | (b[1] & 0xFF) << 3 | (b[2] & 0xFF) << 11))
        .as("first partition size")
        .isEqualTo(0x7FFFF);
    assertThat(new int[] {b[3] & 0xFF, b[4] & 0xFF, b[5] & 0xFF}).containsExactly(0x9d, 1, 0x2a);
    assertThat((b[6] & 0xFF) | (b[7] & 0x3F) << 8).isEqualTo(width);
    assertThat((b[8] & 0xFF) | (b[9] & 0x3F) << 8).isEqualTo(height);
  }

  @Property
  void packetsSplitAFrameEvenlyWithinTheLimit(
      @ForAll @IntRange(min = 1, max = 200_000) int frameBytes,
      @ForAll @IntRange(min = 100, max = 1500) int maxPayload) {
    int n = Vp8Payload.packetCount(frameBytes, maxPayload);
    int sum = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int i = 0; i < n; i++) {
      int s = Vp8Payload.packetSize(frameBytes, n, i);
      sum += s;
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    assertThat(sum).isEqualTo(frameBytes);
    assertThat(max).isLessThanOrEqualTo(maxPayload);
    assertThat(max - min).as("even split").isLessThanOrEqualTo(1);
    assertThat(n - 1)
        .as("no more packets than needed")
        .isLessThan((frameBytes + maxPayload - 1) / maxPayload);
  }

  @Property
  void theTemporalPatternIsL1T3(@ForAll @IntRange(min = 0, max = 1000) int n) {
    int expected = n % 4 == 0 ? 0 : n % 2 == 1 ? 2 : 1;
    assertThat(Vp8Payload.temporalId(n)).isEqualTo(expected);
  }
}
