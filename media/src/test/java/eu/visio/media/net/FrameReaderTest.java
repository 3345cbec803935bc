package eu.visio.media.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** RFC 4571 deframing: fixtures, splits at every byte, limits, pausing, and random input. */
class FrameReaderTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Two frames back to back as ICE-TCP carries them: a 20-byte STUN Binding request header (length
   * 0x0014) and a 3-byte payload that starts like DTLS (length 0x0003).
   */
  private static final byte[] TWO_FRAMES =
      HEX.parseHex(
          "0014"
              + "0001" // Binding request
              + "0000" // no attributes
              + "2112a442" // magic cookie
              + "000102030405060708090a0b" // transaction id
              + "0003"
              + "16fefd"); // DTLS handshake record type, version 1.2

  @Test
  void splitsBackToBackFrames() throws Exception {
    List<byte[]> frames = readAll(new FrameReader(1500), TWO_FRAMES);

    assertThat(frames).hasSize(2);
    assertThat(HEX.formatHex(frames.get(0))).isEqualTo("000100002112a442000102030405060708090a0b");
    assertThat(HEX.formatHex(frames.get(1))).isEqualTo("16fefd");
  }

  @Test
  void aSplitAtEveryByteYieldsTheSameFrames() throws Exception {
    for (int cut = 0; cut <= TWO_FRAMES.length; cut++) {
      FrameReader r = new FrameReader(1500);
      List<byte[]> frames = new ArrayList<>();
      read(r, Arrays.copyOfRange(TWO_FRAMES, 0, cut), frames);
      assertThat(r.midFrame()).as("cut at %d", cut).isEqualTo(cut != 0 && cut != 22 && cut != 27);
      read(r, Arrays.copyOfRange(TWO_FRAMES, cut, TWO_FRAMES.length), frames);
      assertThat(frames).as("cut at %d", cut).hasSize(2);
      assertThat(frames.get(1)).isEqualTo(HEX.parseHex("16fefd"));
      assertThat(r.midFrame()).isFalse();
    }
  }

  @Test
  void anEmptyFrameIsDeliveredEmpty() throws Exception {
    List<byte[]> frames = readAll(new FrameReader(1500), HEX.parseHex("0000" + "0001" + "80"));

    assertThat(frames).extracting(f -> f.length).containsExactly(0, 1);
  }

  /** Table: announced length against the limit of 1,500 bytes. */
  @Test
  void aFrameLongerThanTheLimitIsAnErrorAtItsLengthAlready() throws Exception {
    record Case(String header, boolean accepted) {}
    for (Case c :
        List.of(
            new Case("05dc", true), // 1500: the limit itself
            new Case("05dd", false), // 1501
            new Case("ffff", false))) { // the largest RFC 4571 frame
      FrameReader r = new FrameReader(1500);
      // Only the length: the reader must refuse before any of the body arrives.
      ByteBuf in = Unpooled.wrappedBuffer(HEX.parseHex(c.header()));
      if (c.accepted()) {
        assertThat(r.read(in, (b, o, l) -> true)).isTrue();
        assertThat(r.midFrame()).isTrue();
      } else {
        assertThatThrownBy(() -> r.read(in, (b, o, l) -> true))
            .isInstanceOf(FramingException.class)
            .hasMessageContaining("longer than 1500");
      }
    }
  }

  @Test
  void aPausingSinkLeavesTheRestUnread() throws Exception {
    FrameReader r = new FrameReader(1500);
    ByteBuf in = Unpooled.wrappedBuffer(TWO_FRAMES);
    List<Integer> lengths = new ArrayList<>();

    boolean finished =
        r.read(
            in,
            (b, o, l) -> {
              lengths.add(l);
              return false;
            });

    assertThat(finished).isFalse();
    assertThat(lengths).containsExactly(20);
    assertThat(in.readableBytes()).isEqualTo(5); // the second frame, untouched
    assertThat(r.read(in, (b, o, l) -> lengths.add(l))).isTrue();
    assertThat(lengths).containsExactly(20, 3);
  }

  @Test
  void framesLeaveTailRoomForInPlaceGrowth() throws Exception {
    FrameReader r = new FrameReader(1500);
    byte[] frame = new byte[1500];
    byte[] wire = new byte[1502];
    wire[0] = 0x05;
    wire[1] = (byte) 0xdc;
    r.read(
        Unpooled.wrappedBuffer(wire),
        (b, o, l) -> {
          assertThat(b.length - o - l).isGreaterThanOrEqualTo(UdpMediaPort.TAIL_ROOM);
          System.arraycopy(b, o, frame, 0, l);
          return true;
        });
    assertThat(r.frames()).isEqualTo(1);
  }

  /** Any frames, encoded and cut into any chunks, come out whole and in order. */
  @Property(tries = 1000)
  void framesSurviveAnyChunking(
      @ForAll @Size(max = 8) List<@Size(max = 300) byte[]> frames,
      @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 64) Integer> chunks)
      throws Exception {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (byte[] f : frames) {
      wire.write(f.length >>> 8);
      wire.write(f.length);
      wire.writeBytes(f);
    }
    byte[] bytes = wire.toByteArray();
    FrameReader r = new FrameReader(300);
    List<byte[]> out = new ArrayList<>();
    int at = 0;
    for (int c : chunks) {
      int n = Math.min(c, bytes.length - at);
      read(r, Arrays.copyOfRange(bytes, at, at + n), out);
      at += n;
    }
    read(r, Arrays.copyOfRange(bytes, at, bytes.length), out);

    assertThat(out).hasSameSizeAs(frames);
    for (int i = 0; i < frames.size(); i++) {
      assertThat(out.get(i)).isEqualTo(frames.get(i));
    }
    assertThat(r.midFrame()).isFalse();
  }

  /**
   * Random or mutated bytes raise nothing but {@link FramingException}, and frames stay bounded.
   */
  @Property(tries = 3000)
  void randomInputOnlyRaisesFramingException(
      @ForAll @Size(max = 400) byte[] bytes,
      @ForAll @IntRange(min = 1, max = 200) int maxFrame,
      @ForAll @IntRange(min = 1, max = 50) int chunk) {
    FrameReader r = new FrameReader(maxFrame);
    try {
      for (int at = 0; at < bytes.length; at += chunk) {
        r.read(
            Unpooled.wrappedBuffer(bytes, at, Math.min(chunk, bytes.length - at)),
            (b, o, l) -> {
              assertThat(l).isBetween(0, maxFrame);
              return true;
            });
      }
    } catch (FramingException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 2000)
  void mutatedFixturesOnlyRaiseFramingException(
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 26) Integer> positions,
      @ForAll byte value) {
    byte[] b = TWO_FRAMES.clone();
    for (int p : positions) {
      b[p] ^= value == 0 ? 1 : value;
    }
    try {
      readAll(new FrameReader(24), b);
    } catch (FramingException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  private static List<byte[]> readAll(FrameReader r, byte[] bytes) throws FramingException {
    List<byte[]> out = new ArrayList<>();
    read(r, bytes, out);
    return out;
  }

  private static void read(FrameReader r, byte[] bytes, List<byte[]> out) throws FramingException {
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    assertThat(r.read(in, (b, o, l) -> out.add(Arrays.copyOfRange(b, o, o + l)))).isTrue();
    assertThat(in.isReadable()).isFalse();
  }
}
