package eu.visio.media.sctp;

import java.util.List;

/**
 * HEARTBEAT and HEARTBEAT ACK (RFC 9260 §3.3.5, §3.3.6): a path probe whose Heartbeat Info
 * parameter the peer returns unchanged.
 */
public record HeartbeatChunk(boolean ack, List<Param> params) implements Chunk {
  public HeartbeatChunk {
    params = List.copyOf(params);
  }

  /** A HEARTBEAT (or ACK) carrying {@code info} as its Heartbeat Info. */
  public static HeartbeatChunk of(boolean ack, byte[] info) {
    return new HeartbeatChunk(ack, List.of(new Param(Param.HEARTBEAT_INFO, info)));
  }

  @Override
  public int type() {
    return ack ? HEARTBEAT_ACK : HEARTBEAT;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return Param.totalLength(params);
  }

  @Override
  public void writeValue(byte[] out, int off) {
    Param.writeAll(params, out, off);
  }

  static HeartbeatChunk parse(boolean ack, byte[] b, int off, int len) throws SctpParseException {
    List<Param> params = Param.parseAll(b, off, len);
    Wire.need(
        !params.isEmpty() && params.getFirst().type() == Param.HEARTBEAT_INFO,
        "HEARTBEAT without Heartbeat Info");
    return new HeartbeatChunk(ack, params);
  }
}
