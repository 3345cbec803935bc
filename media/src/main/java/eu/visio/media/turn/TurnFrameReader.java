package eu.visio.media.turn;

import io.netty.buffer.ByteBuf;

/**
 * Splits a TURN byte stream (TCP, or TLS once decrypted) into STUN messages and ChannelData
 * messages (RFC 8656 §12.5): a first byte 0x00-0x3F starts a STUN message of 20 bytes plus the
 * header's length, 0x40-0x7F a ChannelData message of 4 bytes plus its length, padded to a multiple
 * of 4 on a stream. Any other first byte means the stream is lost (§12.4: 0x80-0xFF is not TURN)
 * and {@link TurnParseException} is thrown; the connection should be closed.
 *
 * <p>Sans-I/O: bytes go in as they arrive, split anywhere. Frames longer than {@code maxFrame} are
 * skipped (their length still tells where the next one starts) and reported to {@link
 * Sink#onOversized}. Each complete frame is handed over from the reader's own buffer, without
 * ChannelData's padding. One reader per stream; not thread-safe; allocates nothing after
 * construction.
 */
public final class TurnFrameReader {
  /** Receives frames; the buffer is the reader's and is reused after the call. */
  public interface Sink {
    /** One STUN message or ChannelData message (header included, padding excluded). */
    void onFrame(byte[] buf, int off, int len);

    /** A frame longer than the reader's limit was skipped. */
    void onOversized();
  }

  private static final int HEADER = 4;

  private final int maxFrame;
  private final byte[] frame;
  private int have;
  // Once the 4-byte header is in: bytes of the frame on the wire (padding included), and of it.
  private int wireLength = -1;
  private int frameLength;
  private int skipping;
  private long frames;

  public TurnFrameReader(int maxFrame) {
    if (maxFrame < 20 || maxFrame > 0xFFFF + 20) {
      throw new IllegalArgumentException("maxFrame out of range: " + maxFrame);
    }
    this.maxFrame = maxFrame;
    this.frame = new byte[maxFrame];
  }

  /**
   * Reads all of {@code in}, handing complete frames to {@code sink}.
   *
   * @throws TurnParseException if a frame starts with a byte that is neither STUN nor ChannelData
   */
  public void read(ByteBuf in, Sink sink) throws TurnParseException {
    while (in.isReadable()) {
      if (skipping > 0) {
        int n = Math.min(skipping, in.readableBytes());
        in.skipBytes(n);
        skipping -= n;
        continue;
      }
      if (wireLength < 0) {
        int n = Math.min(HEADER - have, in.readableBytes());
        in.readBytes(frame, have, n);
        have += n;
        if (have < HEADER) {
          return;
        }
        if (!header(sink)) {
          continue;
        }
      }
      int n = Math.min(wireLength - have, in.readableBytes());
      in.readBytes(frame, have, n);
      have += n;
      if (have == wireLength) {
        int len = frameLength;
        wireLength = -1;
        have = 0;
        frames++;
        sink.onFrame(frame, 0, len);
      }
    }
  }

  /** Sizes the frame from its first 4 bytes; false if it is to be skipped. */
  private boolean header(Sink sink) throws TurnParseException {
    int first = frame[0] & 0xFF;
    int length = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
    if (first < 0x40) {
      frameLength = 20 + length;
      wireLength = frameLength;
    } else if (first < 0x80) {
      frameLength = HEADER + length;
      wireLength = HEADER + ((length + 3) & ~3);
    } else {
      throw new TurnParseException("neither STUN nor ChannelData");
    }
    if (wireLength > maxFrame) {
      skipping = wireLength - HEADER;
      wireLength = -1;
      have = 0;
      sink.onOversized();
      return false;
    }
    return true;
  }

  /** Whether part of a frame has been read but not all of it. */
  public boolean midFrame() {
    return have > 0 || skipping > 0;
  }

  /** Frames delivered since the reader was made. */
  public long frames() {
    return frames;
  }
}
