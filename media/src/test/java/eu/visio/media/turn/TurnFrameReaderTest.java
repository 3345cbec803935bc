package eu.visio.media.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnFrameReaderTest {
  private final List<byte[]> frames = new ArrayList<>();
  private final TurnFrameReader.Sink sink = TurnMessagesTest.sink(frames);

  @Test
  void channelDataPaddingIsSkippedOnAStream() throws Exception {
    TurnFrameReader reader = new TurnFrameReader(100);
    byte[] stream =
        TurnMessagesTest.hex(
            """
            40 00 00 00                 # ChannelData 0x4000, empty: no padding
            40 01 00 01  aa 00 00 00    # 1 byte, 3 of padding
            40 02 00 04  01 02 03 04    # 4 bytes, none
            """);
    reader.read(Unpooled.wrappedBuffer(stream), sink);
    assertThat(frames)
        .containsExactly(
            new byte[] {0x40, 0, 0, 0},
            new byte[] {0x40, 1, 0, 1, (byte) 0xaa},
            new byte[] {0x40, 2, 0, 4, 1, 2, 3, 4});
  }

  /** An oversized frame is skipped by its length, and the stream goes on after it. */
  @Test
  void oversizedFramesAreSkippedNotFatal() throws Exception {
    TurnFrameReader reader = new TurnFrameReader(24);
    byte[] big = new byte[4 + 24];
    big[0] = 0x40;
    big[3] = 24;
    byte[] stream = TurnMessagesTest.concat(big, TurnMessagesTest.CHANNEL_DATA_STREAM);
    for (int i = 0; i < stream.length; i++) {
      reader.read(Unpooled.wrappedBuffer(stream, i, 1), sink); // one byte at a time
    }
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0)).isNull();
    assertThat(frames.get(1)).isEqualTo(Arrays.copyOf(TurnMessagesTest.CHANNEL_DATA_STREAM, 7));
  }

  @Test
  void midFrameUntilTheLastByte() throws Exception {
    TurnFrameReader reader = new TurnFrameReader(100);
    byte[] m = TurnMessagesTest.REFRESH_DELETE;
    reader.read(Unpooled.wrappedBuffer(m, 0, m.length - 1), sink);
    assertThat(reader.midFrame()).isTrue();
    assertThat(frames).isEmpty();
    reader.read(Unpooled.wrappedBuffer(m, m.length - 1, 1), sink);
    assertThat(reader.midFrame()).isFalse();
    assertThat(frames).containsExactly(m);
  }

  @Test
  void aFirstByteOfEightyOrMoreIsFatal() {
    TurnFrameReader reader = new TurnFrameReader(100);
    assertThatThrownBy(
            () -> reader.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0, 0, 0}), sink))
        .isInstanceOf(TurnParseException.class);
  }
}
