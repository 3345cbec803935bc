package eu.visio.sfu;

import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.rtp.SequenceNumbers;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One published track as one subscriber receives it. Owns the subscriber's view of the stream: its
 * SSRC, payload types and extension ids, and the sequence-number and timestamp offsets that keep
 * the output one gapless stream when the source changes (a publisher reconnects).
 *
 * <p>Video starts only at a keyframe, so a subscriber never decodes from a delta frame.
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

  public DownTrack(String id, TrackInfo out, RtpSink sink) {
    this.id = id;
    this.out = out;
    this.sink = sink;
    this.rtxSeq = java.util.concurrent.ThreadLocalRandom.current().nextInt(0x8000);
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

  /** Attaches to a (new) source. Output continues from where it stopped at the next keyframe. */
  void attach(PublishedTrack track) {
    source = track;
    TrackInfo in = track.info();
    extensions = new ExtensionIdMap(in.extensionIds(), out.extensionIds(), out.mid());
    java.util.Arrays.fill(payloadTypes, (byte) -1);
    // The subscriber negotiated the publisher's codec, under its own payload type numbers.
    payloadTypes[in.payloadType()] = (byte) out.payloadType();
    started = false;
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
   * Forwards a retransmission (RFC 4588) of the source: as RTX when this subscriber negotiated it,
   * otherwise unwrapped into the original packet.
   */
  void forwardRtx(RtpPacket p, byte[] scratch) {
    if (!started || p.payloadLength() < 2) {
      return; // not started, or a padding-only probe
    }
    byte[] b = p.buffer();
    int payload = p.payloadOffset();
    int osn = ((b[payload] & 0xFF) << 8) | (b[payload + 1] & 0xFF);
    int seq = SequenceNumbers.add(osn, seqOffset);
    int ts = p.timestamp() + tsOffset;
    int header = p.headerLength();
    if (out.hasRtx()) {
      int len = header + p.payloadLength();
      System.arraycopy(b, p.offset(), scratch, 0, len);
      scratch[0] &= (byte) 0xDF; // padding stripped
      rtxSeq = (rtxSeq + 1) & 0xFFFF;
      writeHeader(scratch, out.rtxSsrc(), out.rtxPayloadType(), rtxSeq, ts);
      scratch[header] = (byte) (seq >>> 8);
      scratch[header + 1] = (byte) seq;
      extensions.apply(p, scratch, -p.offset());
      sink.sendRtp(scratch, 0, len);
    } else {
      int payloadLen = p.payloadLength() - 2;
      System.arraycopy(b, p.offset(), scratch, 0, header);
      System.arraycopy(b, payload + 2, scratch, header, payloadLen);
      scratch[0] &= (byte) 0xDF;
      writeHeader(scratch, out.ssrc(), out.payloadType(), seq, ts);
      extensions.apply(p, scratch, -p.offset());
      sink.sendRtp(scratch, 0, header + payloadLen);
    }
  }

  /** Rewrites the source's sender report for this subscriber (same NTP↔RTP mapping). */
  void forwardSenderReport(SenderReport sr, byte[] scratch) {
    if (!started) {
      return;
    }
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

  /** Maps a sequence number the subscriber reported lost back to the source's numbering. */
  int sourceSequence(int outSeq) {
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
