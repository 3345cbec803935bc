package eu.visio.media.sctp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * INIT and INIT ACK (RFC 9260 §3.3.2, §3.3.3): the association's parameters from each side. An INIT
 * ACK carries the State Cookie parameter, which the peer echoes back.
 *
 * @param ack INIT ACK rather than INIT
 * @param initiateTag the verification tag the sender expects on what it receives (never 0)
 * @param arwnd advertised receiver window credit, bytes
 * @param outboundStreams streams the sender wants to send on
 * @param inboundStreams streams the sender accepts
 * @param initialTsn the sender's first TSN
 * @param params optional parameters: state cookie, supported extensions, FORWARD-TSN supported...
 */
public record InitChunk(
    boolean ack,
    long initiateTag,
    long arwnd,
    int outboundStreams,
    int inboundStreams,
    long initialTsn,
    List<Param> params)
    implements Chunk {
  static final int FIXED = 16;

  public InitChunk {
    params = List.copyOf(params);
  }

  @Override
  public int type() {
    return ack ? INIT_ACK : INIT;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return FIXED + Param.totalLength(params);
  }

  @Override
  public void writeValue(byte[] out, int off) {
    Wire.put32(out, off, initiateTag);
    Wire.put32(out, off + 4, arwnd);
    Wire.put16(out, off + 8, outboundStreams);
    Wire.put16(out, off + 10, inboundStreams);
    Wire.put32(out, off + 12, initialTsn);
    Param.writeAll(params, out, off + FIXED);
  }

  /** The parameter of {@code type}, if present. */
  public Optional<Param> param(int type) {
    return params.stream().filter(p -> p.type() == type).findFirst();
  }

  /**
   * Our INIT or INIT ACK: our tag, window, streams and first TSN, and the extensions we support
   * (partial reliability, stream reset, and I-DATA when configured), with the cookie of an INIT
   * ACK.
   */
  static InitChunk ours(
      boolean ack, long tag, long initialTsn, Association.Config config, Optional<byte[]> cookie) {
    List<Param> params = new ArrayList<>();
    params.add(new Param(Param.FORWARD_TSN_SUPPORTED, new byte[0]));
    byte[] extensions =
        config.interleaving()
            ? new byte[] {(byte) RE_CONFIG, (byte) FORWARD_TSN, (byte) I_DATA, (byte) I_FORWARD_TSN}
            : new byte[] {(byte) RE_CONFIG, (byte) FORWARD_TSN};
    params.add(new Param(Param.SUPPORTED_EXTENSIONS, extensions));
    cookie.ifPresent(c -> params.add(new Param(Param.STATE_COOKIE, c)));
    return new InitChunk(
        ack, tag, config.window(), config.streams(), config.streams(), initialTsn, params);
  }

  /** Chunk types the sender supports beyond the base protocol (RFC 5061 §4.2.7). */
  public boolean supports(int chunkType) {
    Optional<Param> ext = param(Param.SUPPORTED_EXTENSIONS);
    if (ext.isPresent()) {
      for (byte t : ext.get().value()) {
        if ((t & 0xFF) == chunkType) {
          return true;
        }
      }
    }
    return chunkType == FORWARD_TSN && param(Param.FORWARD_TSN_SUPPORTED).isPresent();
  }

  static InitChunk parse(boolean ack, int flags, byte[] b, int off, int len)
      throws SctpParseException {
    Wire.need(len >= FIXED, "INIT shorter than its fixed part");
    long tag = Wire.u32(b, off);
    // §3.3.2: an Initiate Tag of 0 is invalid; the INIT must then be aborted.
    Wire.need(tag != 0, "INIT with a zero initiate tag");
    int out = Wire.u16(b, off + 8);
    int in = Wire.u16(b, off + 10);
    Wire.need(out != 0 && in != 0, "INIT with zero streams");
    return new InitChunk(
        ack,
        tag,
        Wire.u32(b, off + 4),
        out,
        in,
        Wire.u32(b, off + 12),
        Param.parseAll(b, off + FIXED, len - FIXED));
  }
}
