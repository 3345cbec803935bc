package eu.visio.media.sctp;

/**
 * The extensions an association uses because the peer announced them in its INIT or INIT ACK
 * (Supported Extensions, RFC 5061 §4.2.7; FORWARD-TSN-Supported, RFC 3758 §3.1).
 *
 * @param forwardTsn partial reliability (RFC 3758)
 * @param reconfig stream reset (RFC 6525)
 */
record PeerFeatures(boolean forwardTsn, boolean reconfig) {
  static final PeerFeatures NONE = new PeerFeatures(false, false);

  static PeerFeatures of(InitChunk init) {
    return new PeerFeatures(init.supports(Chunk.FORWARD_TSN), init.supports(Chunk.RE_CONFIG));
  }

  /** As one byte of a state cookie. */
  int bits() {
    return (forwardTsn ? 1 : 0) | (reconfig ? 2 : 0);
  }

  static PeerFeatures ofBits(int bits) {
    return new PeerFeatures((bits & 1) != 0, (bits & 2) != 0);
  }
}
