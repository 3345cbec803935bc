package eu.visio.media.sctp;

/**
 * An SCTP chunk (RFC 9260 §3.2): type, flags, length, value, padded to 4 bytes. Each record knows
 * its value's layout; {@link #parse} dispatches on the type, and keeps a type it does not know as
 * an {@link UnknownChunk} (its two high bits say what the receiver must do, §3.2).
 */
public sealed interface Chunk
    permits DataChunk,
        InitChunk,
        SackChunk,
        HeartbeatChunk,
        AbortChunk,
        ShutdownChunk,
        ShutdownAckChunk,
        ShutdownCompleteChunk,
        ErrorChunk,
        CookieEchoChunk,
        CookieAckChunk,
        ForwardTsnChunk,
        ReconfigChunk,
        IDataChunk,
        IForwardTsnChunk,
        UnknownChunk {
  int DATA = 0;
  int INIT = 1;
  int INIT_ACK = 2;
  int SACK = 3;
  int HEARTBEAT = 4;
  int HEARTBEAT_ACK = 5;
  int ABORT = 6;
  int SHUTDOWN = 7;
  int SHUTDOWN_ACK = 8;
  int ERROR = 9;
  int COOKIE_ECHO = 10;
  int COOKIE_ACK = 11;
  int SHUTDOWN_COMPLETE = 14;
  int I_DATA = 64;
  int RE_CONFIG = 130;
  int FORWARD_TSN = 192;
  int I_FORWARD_TSN = 194;

  int type();

  int flags();

  /** Bytes of the value, without the 4-byte header and without padding. */
  int valueLength();

  /** Writes the value at {@code off}. */
  void writeValue(byte[] out, int off);

  /** The chunk's length field: header and value, padding excluded. */
  default int length() {
    return 4 + valueLength();
  }

  /** Writes the whole chunk, padding included; returns the bytes written. */
  default int write(byte[] out, int off) {
    int length = length();
    if (length > 0xFFFF) {
      throw new IllegalArgumentException("chunk longer than 65535 bytes");
    }
    out[off] = (byte) type();
    out[off + 1] = (byte) flags();
    Wire.put16(out, off + 2, length);
    writeValue(out, off + 4);
    int end = off + Wire.padded(length);
    for (int i = off + length; i < end; i++) {
      out[i] = 0;
    }
    return end - off;
  }

  /** Parses the value of a chunk of {@code type} at {@code off}, {@code len} bytes long. */
  static Chunk parse(int type, int flags, byte[] b, int off, int len) throws SctpParseException {
    return switch (type) {
      case DATA -> DataChunk.parse(flags, b, off, len);
      case INIT, INIT_ACK -> InitChunk.parse(type == INIT_ACK, flags, b, off, len);
      case SACK -> SackChunk.parse(b, off, len);
      case HEARTBEAT, HEARTBEAT_ACK -> HeartbeatChunk.parse(type == HEARTBEAT_ACK, b, off, len);
      case ABORT -> AbortChunk.parse(flags, b, off, len);
      case SHUTDOWN -> ShutdownChunk.parse(b, off, len);
      case SHUTDOWN_ACK -> ShutdownAckChunk.parse(len);
      case ERROR -> ErrorChunk.parse(b, off, len);
      case COOKIE_ECHO -> CookieEchoChunk.parse(b, off, len);
      case COOKIE_ACK -> CookieAckChunk.parse(len);
      case SHUTDOWN_COMPLETE -> ShutdownCompleteChunk.parse(flags, len);
      case FORWARD_TSN -> ForwardTsnChunk.parse(b, off, len);
      case RE_CONFIG -> ReconfigChunk.parse(b, off, len);
      case I_DATA -> IDataChunk.parse(flags, b, off, len);
      case I_FORWARD_TSN -> IForwardTsnChunk.parse(b, off, len);
      default -> UnknownChunk.parse(type, flags, b, off, len);
    };
  }
}
