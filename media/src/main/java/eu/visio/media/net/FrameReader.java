package eu.visio.media.net;

import io.netty.buffer.ByteBuf;

/**
 * Splits one TCP byte stream into RFC 4571 frames: each packet is preceded by its length as a
 * 16-bit big-endian number (ICE-TCP, RFC 6544 §3). Sans-I/O: bytes go in as they arrive, split
 * anywhere, and each complete frame is handed to a {@link Sink} from the reader's own buffer, which
 * has {@link UdpMediaPort#TAIL_ROOM} spare bytes after the frame like a received datagram.
 *
 * <p>Frames are limited to {@code maxFrame} bytes: the RFC allows 65,535, but nothing we carry
 * (STUN, DTLS, SRTP) is larger than a UDP datagram we would accept, and a bound keeps the buffer
 * per connection small. One reader per connection; not thread-safe.
 */
public final class FrameReader {
  /** Bytes of the length prefix. */
  public static final int HEADER = 2;

  /** Receives complete frames; the buffer is the reader's and is reused after the call. */
  @FunctionalInterface
  public interface Sink {
    /**
     * One frame ({@code len} may be 0: RFC 4571 does not forbid it). Return false to pause: {@link
     * #read} then returns at once and leaves the rest of its input unread.
     */
    boolean onFrame(byte[] buf, int off, int len);
  }

  private final int maxFrame;
  private final byte[] frame;
  // The length being read: -1 before any of its bytes, -2 - hi after the first one.
  private int expected = -1;
  private int have;
  private long frames;

  public FrameReader(int maxFrame) {
    if (maxFrame < 1 || maxFrame > 0xFFFF) {
      throw new IllegalArgumentException("maxFrame must be 1..65535: " + maxFrame);
    }
    this.maxFrame = maxFrame;
    this.frame = new byte[maxFrame + UdpMediaPort.TAIL_ROOM];
  }

  /**
   * Reads what {@code in} holds, handing each complete frame to {@code sink}, until {@code in} is
   * empty or the sink pauses. Consumes exactly the bytes it read.
   *
   * @return false if the sink paused
   * @throws FramingException if a frame is announced longer than {@code maxFrame}; the stream
   *     cannot be resynchronised and the connection should be closed
   */
  public boolean read(ByteBuf in, Sink sink) throws FramingException {
    while (in.isReadable()) {
      if (expected < 0) {
        int b = in.readUnsignedByte();
        if (expected == -1) {
          expected = -2 - b;
          continue;
        }
        int len = ((-2 - expected) << 8) | b;
        if (len > maxFrame) {
          throw new FramingException("frame longer than " + maxFrame + " bytes");
        }
        expected = len;
        have = 0;
      } else {
        int n = Math.min(expected - have, in.readableBytes());
        in.readBytes(frame, have, n);
        have += n;
      }
      if (expected >= 0 && have == expected) {
        int len = expected;
        expected = -1;
        have = 0;
        frames++;
        if (!sink.onFrame(frame, 0, len)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether part of a frame (its length or some of its bytes) has been read but not all of it. */
  public boolean midFrame() {
    return expected != -1;
  }

  /** Frames completed since the reader was made. */
  public long frames() {
    return frames;
  }
}
