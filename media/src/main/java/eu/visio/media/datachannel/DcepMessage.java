package eu.visio.media.datachannel;

import java.nio.charset.StandardCharsets;

/**
 * A DCEP message (RFC 8832 §5), sent with PPID {@link Ppid#DCEP} on the channel's stream:
 * DATA_CHANNEL_OPEN from the side that opens, DATA_CHANNEL_ACK from the other.
 */
public sealed interface DcepMessage {
  int OPEN = 0x03;
  int ACK = 0x02;

  byte[] toBytes();

  /** DATA_CHANNEL_ACK: the channel is open (§5.2). */
  record Ack() implements DcepMessage {
    @Override
    public byte[] toBytes() {
      return new byte[] {ACK};
    }
  }

  /**
   * DATA_CHANNEL_OPEN (§5.1).
   *
   * @param channelType reliable or not, ordered or not (see {@link ChannelType})
   * @param priority the channel's priority (RFC 8831 §6.4)
   * @param reliability retransmissions or lifetime in ms for partially reliable types, else 0
   * @param label the channel's name ({@code _reliable}, {@code _lossy} for LiveKit)
   * @param protocol the subprotocol, often empty
   */
  record Open(
      ChannelType channelType, int priority, long reliability, String label, String protocol)
      implements DcepMessage {
    public Open {
      if (priority < 0 || priority > 0xFFFF || reliability < 0 || reliability > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("bad DATA_CHANNEL_OPEN fields");
      }
      if (bytes(label).length > 0xFFFF || bytes(protocol).length > 0xFFFF) {
        throw new IllegalArgumentException("label or protocol too long");
      }
    }

    @Override
    public byte[] toBytes() {
      byte[] l = bytes(label);
      byte[] p = bytes(protocol);
      byte[] b = new byte[12 + l.length + p.length];
      b[0] = OPEN;
      b[1] = (byte) channelType.code();
      b[2] = (byte) (priority >>> 8);
      b[3] = (byte) priority;
      b[4] = (byte) (reliability >>> 24);
      b[5] = (byte) (reliability >>> 16);
      b[6] = (byte) (reliability >>> 8);
      b[7] = (byte) reliability;
      b[8] = (byte) (l.length >>> 8);
      b[9] = (byte) l.length;
      b[10] = (byte) (p.length >>> 8);
      b[11] = (byte) p.length;
      System.arraycopy(l, 0, b, 12, l.length);
      System.arraycopy(p, 0, b, 12 + l.length, p.length);
      return b;
    }

    private static byte[] bytes(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** RFC 8832 §5.1: the Channel Type values. */
  enum ChannelType {
    RELIABLE(0x00),
    RELIABLE_UNORDERED(0x80),
    PARTIAL_RELIABLE_REXMIT(0x01),
    PARTIAL_RELIABLE_REXMIT_UNORDERED(0x81),
    PARTIAL_RELIABLE_TIMED(0x02),
    PARTIAL_RELIABLE_TIMED_UNORDERED(0x82);

    private final int code;

    ChannelType(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    public boolean ordered() {
      return (code & 0x80) == 0;
    }

    static ChannelType of(int code) throws DcepParseException {
      for (ChannelType t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      throw new DcepParseException("unknown channel type");
    }
  }

  /** Parses a message received with PPID 50. */
  static DcepMessage parse(byte[] b) throws DcepParseException {
    if (b.length == 0) {
      throw new DcepParseException("empty DCEP message");
    }
    switch (b[0]) {
      case ACK -> {
        // §5.2: the ACK is one byte; anything after it is ignored, as browsers do.
        return new Ack();
      }
      case OPEN -> {
        if (b.length < 12) {
          throw new DcepParseException("DATA_CHANNEL_OPEN shorter than 12 bytes");
        }
        int labelLength = (b[8] & 0xFF) << 8 | (b[9] & 0xFF);
        int protocolLength = (b[10] & 0xFF) << 8 | (b[11] & 0xFF);
        if (b.length != 12 + labelLength + protocolLength) {
          throw new DcepParseException("DATA_CHANNEL_OPEN lengths disagree with its size");
        }
        long reliability =
            ((long) (b[4] & 0xFF) << 24) | (b[5] & 0xFF) << 16 | (b[6] & 0xFF) << 8 | (b[7] & 0xFF);
        return new Open(
            ChannelType.of(b[1] & 0xFF),
            (b[2] & 0xFF) << 8 | (b[3] & 0xFF),
            reliability,
            new String(b, 12, labelLength, StandardCharsets.UTF_8),
            new String(b, 12 + labelLength, protocolLength, StandardCharsets.UTF_8));
      }
      default -> throw new DcepParseException("unknown DCEP message type");
    }
  }
}
