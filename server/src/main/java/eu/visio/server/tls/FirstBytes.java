package eu.visio.server.tls;

import eu.visio.media.net.TcpMediaPort;
import io.netty.buffer.ByteBuf;

/**
 * What a connection to the TLS port speaks, told from its first bytes (both protocols have the
 * client speak first, so the server waits for them):
 *
 * <pre>
 * TLS ClientHello record  16 | 03 0v (v 0..4) | length (2) | 01 (ClientHello) ...
 * ICE-TCP (RFC 4571/6544) length (2, 20..1500) | 00 01 (Binding request; its first two bits 0)
 *                         | STUN length (2) = frame length - 20 | 21 12 a4 42 (magic cookie) ...
 * </pre>
 *
 * The two cannot be confused: a TLS record starts 0x16 0x03, which as an RFC 4571 length is 5,635,
 * more than any frame we accept. Ten bytes always decide.
 */
public final class FirstBytes {
  /** What the bytes so far say. */
  public enum Kind {
    /** A TLS ClientHello: HTTPS (or STUN inside TLS). */
    TLS,
    /** An RFC 4571-framed STUN Binding request: ICE-TCP. */
    ICE_TCP,
    /** Neither, whatever follows. */
    UNKNOWN,
    /** Not enough bytes yet to tell. */
    NEED_MORE
  }

  /** Bytes that always decide. */
  public static final int DECISIVE = 10;

  private static final int TLS_BYTES = 6;
  private static final byte[] COOKIE = {0x21, 0x12, (byte) 0xa4, 0x42};

  private FirstBytes() {}

  /** Classifies the readable bytes of {@code in} (not consumed). */
  public static Kind classify(ByteBuf in) {
    int n = Math.min(in.readableBytes(), DECISIVE);
    int at = in.readerIndex();
    boolean tls = true;
    boolean ice = true;
    for (int i = 0; i < n && (tls || ice); i++) {
      int b = in.getUnsignedByte(at + i);
      tls = tls && tlsByte(i, b);
      ice = ice && iceByte(in, at, i, b);
    }
    if (tls && n >= TLS_BYTES) {
      return Kind.TLS;
    }
    if (ice && n >= DECISIVE) {
      return Kind.ICE_TCP;
    }
    return tls || ice ? Kind.NEED_MORE : Kind.UNKNOWN;
  }

  private static boolean tlsByte(int i, int b) {
    return switch (i) {
      case 0 -> b == 0x16; // handshake record
      case 1 -> b == 0x03;
      case 2 -> b <= 0x04; // record version 3.0 to 3.4
      case 5 -> b == 0x01; // ClientHello
      default -> true; // record length
    };
  }

  private static boolean iceByte(ByteBuf in, int at, int i, int b) {
    return switch (i) {
      case 1 -> {
        int frame = in.getUnsignedShort(at);
        yield frame >= 20 && frame <= TcpMediaPort.MAX_FRAME;
      }
      case 2 -> b == 0x00; // first two bits 0, Binding method
      case 3 -> b == 0x01; // request class
      case 5 -> in.getUnsignedShort(at + 4) == in.getUnsignedShort(at) - 20;
      case 6, 7, 8, 9 -> (byte) b == COOKIE[i - 6];
      default -> true;
    };
  }
}
