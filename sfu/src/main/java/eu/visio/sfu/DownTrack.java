package eu.visio.sfu;

import eu.visio.media.rtcp.GenericNack;
import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.rtp.SequenceNumbers;
import eu.visio.sfu.nack.NackResponder;
import eu.visio.sfu.nack.RttEstimator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One published track as one subscriber receives it. Owns the subscriber's view of the stream: its
 * SSRC, payload types and extension ids, and the sequence-number and timestamp offsets that keep
 * the output one gapless stream when the source changes (a publisher reconnects).
 *
 * <p>Video starts only at a keyframe, so a subscriber never decodes from a delta frame.
 *
 * <p>The subscriber's NACKs are answered from the source's packet history by a {@link
 * NackResponder}, rate-limited per packet by the round-trip time to this subscriber (measured from
 * its receiver reports against the sender reports we forwarded). A retransmission goes out as RTX
 * (RFC 4588 §4: this subscriber's RTX SSRC and payload type, its own RTX sequence numbers, and the
 * subscriber's sequence number as OSN) when the subscriber negotiated RTX, else as the plain packet
 * again.
 */
public final class DownTrack {
  private static final Logger log = LoggerFactory.getLogger(DownTrack.class);

  private final String id;
  private final TrackInfo out;
  private final RtpSink sink;
  private PublishedTrack source;
  private ExtensionIdMap extensions;
  private final byte[] payloadTypes = new byte[128];

  private boolean started;
  private boolean everStarted;
  private int seqOffset;
  private int tsOffset;
  private int lastOutSeq;
  private int lastOutTs;
  private long lastSentNanos;
  private int rtxSeq;
  private long packetsSent;
  private long octetsSent;
  private long droppedBeforeKeyframe;
  private long droppedUnknownPayload;
  private int startOutSeq;
  private int startSourceSeq;

  private NackResponder responder = newResponder();
  private final RttEstimator rtt = new RttEstimator();
  private final RtpPacket resent = new RtpPacket();
  // Built once: passing method references per NACK would allocate them each time.
  private final NackResponder.SequenceMap sequenceMap = this::sourceSequence;
  private final NackResponder.Resender resender = this::resendFromHistory;
  private int lastSenderReport;
  private long lastSenderReportNanos;
  private boolean sentSenderReport;
  private long retransmissionsSent;

  public DownTrack(String id, TrackInfo out, RtpSink sink) {
    this.id = id;
    this.out = out;
    this.sink = sink;
    this.rtxSeq = java.util.concurrent.ThreadLocalRandom.current().nextInt(0x8000);
  }

  private static NackResponder newResponder() {
    return new NackResponder(
        PublishedTrack.VIDEO_HISTORY, NackResponder.DEFAULT_MIN_INTERVAL_NANOS);
  }

  public String id() {
    return id;
  }

  public TrackInfo info() {
    return out;
  }

  public PublishedTrack source() {
    return source;
  }

  public long packetsSent() {
    return packetsSent;
  }

  public long droppedBeforeKeyframe() {
    return droppedBeforeKeyframe;
  }

  public boolean started() {
    return started;
  }

  /** Retransmissions sent: NACKs answered from the history and recovered packets forwarded. */
  public long retransmissionsSent() {
    return retransmissionsSent;
  }

  /** NACKed numbers answered from the history. */
  public long nacksServed() {
    return responder.served();
  }

  /** NACKed numbers no longer (or never) in the history. */
  public long nacksMissingFromHistory() {
    return responder.missingFromHistory();
  }

  /** NACKed numbers not resent because they were resent less than an RTT ago. */
  public long nacksRateLimited() {
    return responder.rateLimited();
  }

  /** NACKed numbers this subscriber never received from the current source. */
  public long nacksUnmapped() {
    return responder.unmapped();
  }

  /** Smoothed round-trip time to the subscriber, or the default before a measurement. */
  public long rttNanos() {
    return rtt.rttNanos();
  }

  /** Attaches to a (new) source. Output continues from where it stopped at the next keyframe. */
  void attach(PublishedTrack track) {
    source = track;
    TrackInfo in = track.info();
    extensions = new ExtensionIdMap(in.extensionIds(), out.extensionIds(), out.mid());
    java.util.Arrays.fill(payloadTypes, (byte) -1);
    // The subscriber negotiated the publisher's codec, under its own payload type numbers.
    payloadTypes[in.payloadType()] = (byte) out.payloadType();
    started = false;
    // Resend times are kept by the old source's sequence numbers, meaningless for the new one.
    responder = newResponder();
    responder.setRttNanos(rtt.rttNanos());
  }

  void detach() {
    source = null;
    started = false;
  }

  /**
   * Forwards one packet of the source. {@code scratch} is the loop's send buffer, with room for the
   * SRTP tag after the largest packet.
   */
  void forward(RtpPacket p, boolean keyframe, long nowNanos, byte[] scratch) {
    if (!started) {
      if (out.kind() == TrackKind.VIDEO && !keyframe) {
        droppedBeforeKeyframe++;
        return;
      }
      start(p, nowNanos);
    }
    int pt = payloadTypes[p.payloadType()];
    if (pt < 0) {
      droppedUnknownPayload++;
      return;
    }
    int len = p.length();
    System.arraycopy(p.buffer(), p.offset(), scratch, 0, len);
    int seq = SequenceNumbers.add(p.sequenceNumber(), seqOffset);
    int ts = p.timestamp() + tsOffset;
    writeHeader(scratch, out.ssrc(), pt, seq, ts);
    extensions.apply(p, scratch, -p.offset());
    if (SequenceNumbers.isNewer(seq, lastOutSeq) || packetsSent == 0) {
      lastOutSeq = seq;
      lastOutTs = ts;
      lastSentNanos = nowNanos;
    }
    if (sink.sendRtp(scratch, 0, len)) {
      packetsSent++;
      octetsSent += p.payloadLength();
    }
  }

  /**
   * Forwards a packet the source recovered from the publisher's RTX stream, if this subscriber was
   * started on this source by then (a packet from before its first keyframe is of no use to it).
   */
  void forwardRecovered(RtpPacket original, byte[] scratch) {
    if (!started || SequenceNumbers.isNewer(startSourceSeq, original.sequenceNumber())) {
      return;
    }
    sendRetransmission(
        original, SequenceNumbers.add(original.sequenceNumber(), seqOffset), scratch);
  }

  /** A NACK from the subscriber for this track: answered from the source's history. */
  void onNack(GenericNack nack, long nowNanos) {
    PublishedTrack src = source;
    if (src == null) {
      return;
    }
    // Indexed, not NackResponder.respond(GenericNack, ...): its for-each allocates an iterator.
    List<GenericNack.Entry> entries = nack.entries();
    for (int k = 0; k < entries.size(); k++) {
      GenericNack.Entry e = entries.get(k);
      respond(e.pid(), src, nowNanos);
      for (int bit = 0; bit < 16; bit++) {
        if ((e.blp() & (1 << bit)) != 0) {
          respond((e.pid() + bit + 1) & 0xFFFF, src, nowNanos);
        }
      }
    }
  }

  private void respond(int outSeq, PublishedTrack src, long nowNanos) {
    responder.respond(
        outSeq, sequenceMap, src.history(), src.retransmitBuffer(), resender, nowNanos);
  }

  /**
   * A report block the subscriber sent about this track: when it echoes the last sender report we
   * forwarded (LSR, RFC 3550 §6.4.1), RTT = now − when we sent it − DLSR. Our clock is used for
   * both ends, so the publisher's NTP clock does not need to agree with ours.
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
    if (resent.wrap(buf, off, len) && source != null) {
      sendRetransmission(resent, outSeq, source.scratch());
    }
  }

  /**
   * Sends {@code original} (a source packet, as the publisher sent it) again as output sequence
   * number {@code outSeq}: as RTX when negotiated, else as the packet itself. Padding is dropped.
   */
  private void sendRetransmission(RtpPacket original, int outSeq, byte[] scratch) {
    int pt = payloadTypes[original.payloadType()];
    if (pt < 0) {
      droppedUnknownPayload++;
      return;
    }
    byte[] b = original.buffer();
    int header = original.headerLength();
    int payloadLength = original.payloadLength();
    int ts = original.timestamp() + tsOffset;
    System.arraycopy(b, original.offset(), scratch, 0, header);
    scratch[0] &= (byte) 0xDF; // padding stripped
    int len;
    if (out.hasRtx()) {
      rtxSeq = (rtxSeq + 1) & 0xFFFF;
      writeHeader(scratch, out.rtxSsrc(), out.rtxPayloadType(), rtxSeq, ts);
      scratch[header] = (byte) (outSeq >>> 8);
      scratch[header + 1] = (byte) outSeq;
      System.arraycopy(b, original.payloadOffset(), scratch, header + 2, payloadLength);
      len = header + 2 + payloadLength;
    } else {
      writeHeader(scratch, out.ssrc(), pt, outSeq, ts);
      System.arraycopy(b, original.payloadOffset(), scratch, header, payloadLength);
      len = header + payloadLength;
    }
    extensions.apply(original, scratch, -original.offset());
    if (sink.sendRtp(scratch, 0, len)) {
      retransmissionsSent++;
    }
  }

  /** Rewrites the source's sender report for this subscriber (same NTP↔RTP mapping). */
  void forwardSenderReport(SenderReport sr, long nowNanos, byte[] scratch) {
    if (!started) {
      return;
    }
    lastSenderReport = sr.compactNtp();
    lastSenderReportNanos = nowNanos;
    sentSenderReport = true;
    SenderReport mine =
        new SenderReport(
            out.ssrc(),
            sr.ntpTimestamp(),
            sr.rtpTimestamp() + tsOffset,
            (int) packetsSent,
            (int) octetsSent,
            List.of());
    int n = mine.write(scratch, 0);
    sink.sendRtcp(scratch, 0, n);
  }

  /**
   * Maps a sequence number the subscriber reported lost back to the source's numbering, or -1 when
   * it was not sent from the current source (before this source started, or not sent yet).
   */
  int sourceSequence(int outSeq) {
    if (!started
        || SequenceNumbers.isNewer(startOutSeq, outSeq)
        || SequenceNumbers.isNewer(outSeq, lastOutSeq)) {
      return -1;
    }
    return SequenceNumbers.add(outSeq, -seqOffset);
  }

  private void start(RtpPacket p, long nowNanos) {
    if (everStarted) {
      // Continue right after the last packet sent, and advance the clock by the real pause.
      long elapsed = Math.max(1, (nowNanos - lastSentNanos) / 1000 * out.clockRate() / 1_000_000);
      seqOffset = SequenceNumbers.add(lastOutSeq + 1, -p.sequenceNumber());
      tsOffset = (int) (lastOutTs + elapsed - p.timestamp());
    }
    started = true;
    everStarted = true;
    startSourceSeq = p.sequenceNumber();
    startOutSeq = SequenceNumbers.add(startSourceSeq, seqOffset);
    log.debug(
        "downtrack={} started on source ssrc={} seqOffset={} tsOffset={}",
        id,
        Integer.toUnsignedString(p.ssrc()),
        seqOffset,
        tsOffset);
  }

  private static void writeHeader(byte[] b, int ssrc, int pt, int seq, int ts) {
    b[1] = (byte) ((b[1] & 0x80) | (pt & 0x7F));
    b[2] = (byte) (seq >>> 8);
    b[3] = (byte) seq;
    b[4] = (byte) (ts >>> 24);
    b[5] = (byte) (ts >>> 16);
    b[6] = (byte) (ts >>> 8);
    b[7] = (byte) ts;
    b[8] = (byte) (ssrc >>> 24);
    b[9] = (byte) (ssrc >>> 16);
    b[10] = (byte) (ssrc >>> 8);
    b[11] = (byte) ssrc;
  }

  long droppedUnknownPayload() {
    return droppedUnknownPayload;
  }
}
