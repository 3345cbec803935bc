package eu.visio.media.sctp;

/**
 * The extensions an association uses because the peer announced them in its INIT or INIT ACK
 * (Supported Extensions, RFC 5061 §4.2.7; FORWARD-TSN-Supported, RFC 3758 §3.1).
 *
 * @param forwardTsn partial reliability (RFC 3758)
 * @param reconfig stream reset (RFC 6525)
 * @param interleaving I-DATA (RFC 8260), when we offer it too; then I-FORWARD-TSN replaces FORWARD
 *     TSN
 */
record PeerFeatures(boolean forwardTsn, boolean reconfig, boolean interleaving) {
  static final PeerFeatures NONE = new PeerFeatures(false, false, false);

  static PeerFeatures of(InitChunk init, boolean weInterleave) {
    boolean interleaving = weInterleave && init.supports(Chunk.I_DATA);
    return new PeerFeatures(
        interleaving ? init.supports(Chunk.I_FORWARD_TSN) : init.supports(Chunk.FORWARD_TSN),
        init.supports(Chunk.RE_CONFIG),
        interleaving);
  }

  /** As one byte of a state cookie. */
  int bits() {
    return (forwardTsn ? 1 : 0) | (reconfig ? 2 : 0) | (interleaving ? 4 : 0);
  }

  static PeerFeatures ofBits(int bits) {
    return new PeerFeatures((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0);
  }
}
