package eu.visio.sfu.layer;

/**
 * The per-subscriber layer pipeline of one track: a {@link LayerSelector}'s decisions (or an SVC
 * filter's) applied to the rewriters, so the subscriber sees one gapless stream: sequence numbers
 * ({@link SequenceRewriter}), timestamps ({@link TimestampRewriter}) and, for VP8, picture id,
 * TL0PICIDX and KEYIDX ({@link Vp8Munger}).
 *
 * <pre>{@code
 * // once per source packet (shared by all subscribers):
 * boolean ok = descriptor.parse(p.buffer(), p.payloadOffset(), p.payloadLength());
 * // per subscriber:
 * if (fwd.accept(encoding, p.sequenceNumber(), p.timestamp(), descriptor, ok, now)) {
 *   copy p into scratch; write fwd.sequence(), fwd.timestamp() into its header;
 *   fwd.writeDescriptor(descriptor, scratch, payloadOffsetInScratch);
 *   send
 * }
 * int layer = fwd.selector().keyframeRequest(now); // >= 0: PLI to that encoding
 * }</pre>
 *
 * <p>Codecs without a VP8 descriptor (H.264, VP9, AV1, audio) call {@link #apply} with the decision
 * of the selector or of an SVC filter and no descriptor.
 *
 * <p>On a switch the rewriters restart on the new encoding's keyframe: its sequence number, picture
 * id, TL0PICIDX and KEYIDX follow the last ones sent, and its timestamp follows the last one by the
 * time elapsed, or where the caller aligned it from sender reports. Packets dropped inside the
 * forwarded stream (upper temporal layers) are recorded so the output closes up. Not thread-safe;
 * no allocation per packet.
 */
public final class LayerForwarder {
  /** {@link #apply}'s {@code alignedTs} when the caller has no aligned timestamp. */
  public static final long NOT_ALIGNED = Long.MIN_VALUE;

  private final LayerSelector selector;
  private final SequenceRewriter sequences = SequenceRewriter.rtp();
  private final TimestampRewriter timestamps;
  private final Vp8Munger munger = new Vp8Munger();
  private final int clockRate;
  private int sequence;
  private int timestamp;
  private long alignedSwitches;

  /**
   * A pipeline for the down track {@code id} (for logs) of a stream clocked at {@code clockRate}.
   */
  public LayerForwarder(String id, int clockRate) {
    this.selector = new LayerSelector(id);
    this.timestamps = new TimestampRewriter(clockRate);
    this.clockRate = clockRate;
  }

  public LayerSelector selector() {
    return selector;
  }

  /**
   * Decides for one VP8 source packet and, when it is to be sent, maps its sequence number,
   * timestamp and descriptor fields ({@link #sequence()}, {@link #timestamp()}, {@link
   * #writeDescriptor}).
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
    LayerSelector.Decision decision =
        selector.decide(spatial, d.tid(), d.layerSync(), d.keyframe(), d.frameStart());
    return apply(decision, seq, ts, d, nowNanos, NOT_ALIGNED);
  }

  /**
   * Applies a decision taken for one source packet (by {@link #selector()} or an SVC filter) to the
   * rewriters. Returns whether the packet is to be sent, with {@link #sequence()} and {@link
   * #timestamp()} mapped.
   *
   * @param vp8 the packet's VP8 descriptor, or null for other codecs
   * @param alignedTs on a {@link LayerSelector.Decision#SWITCH}, the output timestamp the caller
   *     computed for this packet from sender reports, or {@link #NOT_ALIGNED}; used only when it
   *     lies after the last timestamp sent and less than a second later
   */
  public boolean apply(
      LayerSelector.Decision decision,
      int seq,
      int ts,
      Vp8Descriptor vp8,
      long nowNanos,
      long alignedTs) {
    switch (decision) {
      case DROP -> {
        return false;
      }
      case DROP_IN_STREAM -> {
        sequences.drop(seq);
        if (vp8 != null) {
          munger.drop(vp8);
        }
        return false;
      }
      case SWITCH -> {
        sequences.switchTo(seq);
        switchTimestamp(ts, nowNanos, alignedTs);
        if (vp8 != null) {
          munger.switchTo(vp8);
        }
      }
      case FORWARD -> {}
    }
    // Codec fields first: a packet of a dropped picture must not take a sequence number slot.
    if (vp8 != null && !munger.map(vp8)) {
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

  /**
   * Maps an old packet of the current source again (a retransmission): its sequence slot, and for
   * VP8 its descriptor fields. Returns false when it has no slot (dropped, too old, before the
   * current source).
   */
  public boolean remap(int seq, int ts, Vp8Descriptor vp8) {
    if (vp8 != null && !munger.map(vp8)) {
      return false;
    }
    int out = sequences.forward(seq);
    if (out == SequenceRewriter.REJECTED) {
      return false;
    }
    sequence = out;
    timestamp = ts + timestamps.offset();
    return true;
  }

  /** Records a packet of the current source that is not sent (e.g. a payload type not agreed). */
  public void dropInStream(int seq) {
    sequences.drop(seq);
  }

  private void switchTimestamp(int ts, long nowNanos, long alignedTs) {
    if (alignedTs != NOT_ALIGNED && timestamps.started()) {
      int ahead = (int) alignedTs - timestamps.newestOutput();
      if (ahead > 0 && ahead < clockRate) {
        timestamps.switchAligned(ts, (int) alignedTs);
        alignedSwitches++;
        return;
      }
    }
    timestamps.switchTo(ts, nowNanos);
  }

  /** Output sequence number of the last accepted packet. */
  public int sequence() {
    return sequence;
  }

  /** Output timestamp of the last accepted packet. */
  public int timestamp() {
    return timestamp;
  }

  /** The offset added to the current source's timestamps. */
  public int timestampOffset() {
    return timestamps.offset();
  }

  /** Switches whose timestamp came from sender reports rather than elapsed time. */
  public long alignedSwitches() {
    return alignedSwitches;
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
