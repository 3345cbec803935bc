package eu.visio.sfu.layer;

/**
 * The per-subscriber layer pipeline of a VP8 track, tying a {@link LayerSelector} to the rewriters:
 * what the forwarding core calls for every packet of every simulcast encoding.
 *
 * <pre>{@code
 * // once per source packet (shared by all subscribers):
 * boolean ok = descriptor.parse(p.buffer(), p.payloadOffset(), p.payloadLength());
 * // per subscriber:
 * if (fwd.accept(encoding, p.sequenceNumber(), p.timestamp(), descriptor, ok, now)) {
 *   copy p into scratch; write fwd.sequence(), fwd.timestamp() into its header;
 *   fwd.writeDescriptor(scratch, payloadOffsetInScratch);
 *   send
 * }
 * int layer = fwd.selector().keyframeRequest(now); // >= 0: PLI to that encoding
 * }</pre>
 *
 * <p>On a switch the rewriters restart on the new encoding's keyframe: its sequence number, picture
 * id, TL0PICIDX and KEYIDX follow the last ones sent, and its timestamp follows the last one by the
 * time elapsed. Packets dropped inside the forwarded stream (upper temporal layers) are recorded so
 * the output closes up. Not thread-safe; no allocation per packet.
 */
public final class Vp8LayerForwarder {
  private final LayerSelector selector;
  private final SequenceRewriter sequences = SequenceRewriter.rtp();
  private final TimestampRewriter timestamps;
  private final Vp8Munger munger = new Vp8Munger();
  private int sequence;
  private int timestamp;

  /**
   * A pipeline for the down track {@code id} (for logs) of a stream clocked at {@code clockRate}.
   */
  public Vp8LayerForwarder(String id, int clockRate) {
    this.selector = new LayerSelector(id);
    this.timestamps = new TimestampRewriter(clockRate);
  }

  public LayerSelector selector() {
    return selector;
  }

  /**
   * Decides for one source packet and, when it is to be sent, maps its sequence number, timestamp
   * and descriptor fields ({@link #sequence()}, {@link #timestamp()}, {@link #writeDescriptor}).
   *
   * @param spatial simulcast encoding index of the packet's SSRC
   * @param seq its RTP sequence number
   * @param ts its RTP timestamp
   * @param d its parsed descriptor
   * @param parsed whether {@code d} parsed; a malformed packet is dropped and counted
   * @param nowNanos arrival time (virtual clock)
   */
  public boolean accept(
      int spatial, int seq, int ts, Vp8Descriptor d, boolean parsed, long nowNanos) {
    if (!parsed) {
      selector.countDrop(LayerDropReason.MALFORMED);
      return false;
    }
    switch (selector.decide(spatial, d.tid(), d.layerSync(), d.keyframe(), d.frameStart())) {
      case DROP -> {
        return false;
      }
      case DROP_IN_STREAM -> {
        sequences.drop(seq);
        munger.drop(d);
        return false;
      }
      case SWITCH -> {
        sequences.switchTo(seq);
        timestamps.switchTo(ts, nowNanos);
        munger.switchTo(d);
      }
      case FORWARD -> {}
    }
    // Codec fields first: a packet of a dropped picture must not take a sequence number slot.
    if (!munger.map(d)) {
      selector.countDrop(LayerDropReason.STALE);
      return false;
    }
    int out = sequences.forward(seq);
    if (out == SequenceRewriter.REJECTED) {
      selector.countDrop(LayerDropReason.STALE);
      return false;
    }
    sequence = out;
    timestamp = timestamps.rewrite(ts, nowNanos);
    return true;
  }

  /** Output sequence number of the last accepted packet. */
  public int sequence() {
    return sequence;
  }

  /** Output timestamp of the last accepted packet. */
  public int timestamp() {
    return timestamp;
  }

  /** Writes the last accepted packet's descriptor fields into its copy at {@code payloadOff}. */
  public void writeDescriptor(Vp8Descriptor d, byte[] b, int payloadOff) {
    munger.write(d, b, payloadOff);
  }

  /**
   * The source sequence number sent as {@code outSeq} in the current encoding (to answer a NACK),
   * or {@link SequenceRewriter#REJECTED}.
   */
  public int sourceSequence(int outSeq) {
    return sequences.inputOf(outSeq);
  }

  public Vp8Munger munger() {
    return munger;
  }

  public SequenceRewriter sequences() {
    return sequences;
  }
}
