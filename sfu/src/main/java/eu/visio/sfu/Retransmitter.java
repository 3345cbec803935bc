package eu.visio.sfu;

import eu.visio.media.rtcp.GenericNack;
import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.sfu.layer.LayerForwarder;
import eu.visio.sfu.layer.Vp8Descriptor;
import eu.visio.sfu.nack.NackResponder;
import eu.visio.sfu.nack.RttEstimator;
import java.util.List;

/**
 * A {@link DownTrack}'s retransmissions. The subscriber's NACKs are answered from the source's
 * packet history by a {@link NackResponder}, rate-limited per packet by the round-trip time to the
 * subscriber, measured from its receiver reports against the sender reports we forwarded (RFC 3550
 * §6.4.1). A retransmission goes out as RTX (RFC 4588 §4: the subscriber's RTX SSRC and payload
 * type, its own RTX sequence numbers, the subscriber's sequence number as OSN) when the subscriber
 * negotiated RTX, else as the plain packet again; its sequence number and VP8 fields are those the
 * packet has, or would have had, in the subscriber's stream ({@link LayerForwarder#remap}).
 * Allocation-free.
 */
final class Retransmitter {
  private final DownTrack down;
  private final NackResponder responder =
      new NackResponder(PublishedTrack.VIDEO_HISTORY, NackResponder.DEFAULT_MIN_INTERVAL_NANOS);
  private final RttEstimator rtt = new RttEstimator();
  private final RtpPacket resent = new RtpPacket();
  private final Vp8Descriptor resentVp8 = new Vp8Descriptor();
  // Built once: passing method references per NACK would allocate them each time.
  private final NackResponder.SequenceMap sequenceMap;
  private final NackResponder.Resender resender = this::resendFromHistory;
  private int rtxSeq = java.util.concurrent.ThreadLocalRandom.current().nextInt(0x8000);
  private long resendNanos;
  private long sent;
  private int lastSenderReport;
  private long lastSenderReportNanos;
  private boolean sentSenderReport;

  Retransmitter(DownTrack down) {
    this.down = down;
    this.sequenceMap = down::sourceSequence;
  }

  /**
   * A new source: resend times kept by the old one's sequence numbers mean nothing now. The
   * responder's counters are kept (the metrics sum them over a subscriber's whole stay).
   */
  void reset() {
    responder.forget();
  }

  long sent() {
    return sent;
  }

  NackResponder responder() {
    return responder;
  }

  long rttNanos() {
    return rtt.rttNanos();
  }

  /** A NACK from the subscriber: answered from the history of the encoding it receives. */
  void onNack(GenericNack nack, PublishedTrack src, int encoding, long nowNanos) {
    resendNanos = nowNanos;
    // Indexed, not NackResponder.respond(GenericNack, ...): its for-each allocates an iterator.
    List<GenericNack.Entry> entries = nack.entries();
    for (int k = 0; k < entries.size(); k++) {
      GenericNack.Entry e = entries.get(k);
      respond(e.pid(), src, encoding, nowNanos);
      for (int bit = 0; bit < 16; bit++) {
        if ((e.blp() & (1 << bit)) != 0) {
          respond((e.pid() + bit + 1) & 0xFFFF, src, encoding, nowNanos);
        }
      }
    }
  }

  private void respond(int outSeq, PublishedTrack src, int encoding, long nowNanos) {
    responder.respond(
        outSeq, sequenceMap, src.history(encoding), src.retransmitBuffer(), resender, nowNanos);
  }

  /** A packet the source recovered from its publisher's RTX: sent as a retransmission. */
  void recovered(RtpPacket original, long nowNanos, byte[] scratch) {
    resendNanos = nowNanos;
    send(original, scratch);
  }

  /** Remembers a sender report we forwarded, to measure the RTT when it is echoed. */
  void onSenderReportSent(int compactNtp, long nowNanos) {
    lastSenderReport = compactNtp;
    lastSenderReportNanos = nowNanos;
    sentSenderReport = true;
  }

  /**
   * A report block about this track: when it echoes the last sender report we forwarded (LSR), RTT
   * = now − when we sent it − DLSR. Our clock is used for both ends, so the publisher's NTP clock
   * does not need to agree with ours.
   */
  void onReportBlock(ReportBlock block, long nowNanos) {
    if (!sentSenderReport
        || block.lastSenderReport() == 0
        || block.lastSenderReport() != lastSenderReport) {
      return;
    }
    long dlsrNanos =
        (Integer.toUnsignedLong(block.delaySinceLastSenderReport()) * 1_000_000_000L) >>> 16;
    long sample = nowNanos - lastSenderReportNanos - dlsrNanos;
    if (sample > 0) {
      responder.setRttNanos(rtt.update(sample));
    }
  }

  private void resendFromHistory(int outSeq, byte[] buf, int off, int len) {
    PublishedTrack src = down.source();
    if (resent.wrap(buf, off, len) && src != null) {
      send(resent, src.scratch());
    }
  }

  /**
   * Sends {@code original} (a source packet of the current encoding, as the publisher sent it)
   * again. Padding is dropped.
   */
  private void send(RtpPacket original, byte[] scratch) {
    int pt = down.mappedPayloadType(original.payloadType());
    if (pt < 0) {
      return; // counted when it was first forwarded
    }
    LayerForwarder forwarder = down.forwarder();
    Vp8Descriptor vp8 = null;
    if (down.codec() == SourcePacket.Codec.VP8) {
      vp8 = resentVp8;
      if (!vp8.parse(original.buffer(), original.payloadOffset(), original.payloadLength())) {
        return;
      }
    }
    if (!forwarder.remap(original.sequenceNumber(), original.timestamp(), vp8)) {
      return;
    }
    TrackInfo out = down.info();
    int outSeq = forwarder.sequence();
    int ts = forwarder.timestamp();
    byte[] b = original.buffer();
    int header = original.headerLength();
    int payloadLength = original.payloadLength();
    System.arraycopy(b, original.offset(), scratch, 0, header);
    scratch[0] &= (byte) 0xDF; // padding stripped
    int payloadAt;
    if (out.hasRtx()) {
      rtxSeq = (rtxSeq + 1) & 0xFFFF;
      DownTrack.writeHeader(scratch, out.rtxSsrc(), out.rtxPayloadType(), rtxSeq, ts);
      scratch[header] = (byte) (outSeq >>> 8);
      scratch[header + 1] = (byte) outSeq;
      payloadAt = header + 2;
    } else {
      DownTrack.writeHeader(scratch, out.ssrc(), pt, outSeq, ts);
      payloadAt = header;
    }
    System.arraycopy(b, original.payloadOffset(), scratch, payloadAt, payloadLength);
    int len = payloadAt + payloadLength;
    down.extensions().apply(original, scratch, -original.offset());
    if (vp8 != null) {
      forwarder.writeDescriptor(vp8, scratch, payloadAt);
    }
    int twcc = down.stamp(original, scratch, -original.offset(), len, resendNanos);
    if (down.send(scratch, len, twcc)) {
      sent++;
    }
  }
}
