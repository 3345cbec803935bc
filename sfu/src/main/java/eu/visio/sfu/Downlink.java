package eu.visio.sfu;

import eu.visio.sfu.cc.BandwidthChangeReason;
import eu.visio.sfu.cc.BandwidthEstimator;
import eu.visio.sfu.cc.Prober;
import eu.visio.sfu.cc.TransportSequencer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Congestion control of one subscriber's transport (the downlink): every RTP packet we send it is
 * numbered with a transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions)
 * and recorded, the browser's transport-cc feedback (or its REMB) drives a {@link
 * BandwidthEstimator}, and when the estimate is below what the subscriptions want, padding probes
 * go out on an RTX stream to find out whether more fits ({@link Prober}).
 *
 * <p>Numbers are written into the transport-cc element the packet already carries (browsers put one
 * in every packet once negotiated); the element keeps its place, only its value changes. A packet
 * without one is sent unnumbered and counted. Not thread-safe: the subscriber's media worker owns
 * it.
 */
final class Downlink implements BandwidthEstimator.Listener {
  private static final Logger log = LoggerFactory.getLogger(Downlink.class);

  /** Largest padding in one packet (RFC 3550 §5.1: the count is one byte). */
  static final int MAX_PADDING = 255;

  private final String id;
  private final TransportSequencer sequencer = new TransportSequencer();
  private final BandwidthEstimator estimator;

  /** A probe on the wire before SRTP: header, the transport-cc extension word, the padding. */
  static final int MAX_PROBE = 12 + 8 + MAX_PADDING;

  // The transport encrypts in place and appends its tag (SrtpSession#protectRtp): without the tail
  // room it would refuse every probe (each then taken back, see probe()), and probing would never
  // happen.
  private final byte[] probe =
      new byte[MAX_PROBE + eu.visio.media.srtp.SrtpSession.MAX_RTP_OVERHEAD];
  private long stamped;
  private long unstamped;
  private long probesSent;
  private long refused;
  private int probeSeq = java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000);
  private boolean changed;

  Downlink(String id) {
    this.id = id;
    this.estimator =
        new BandwidthEstimator(id, BandwidthEstimator.Config.defaults(), sequencer, this);
  }

  BandwidthEstimator estimator() {
    return estimator;
  }

  /** The estimate, in bit/s. */
  long estimate() {
    return estimator.estimate();
  }

  /** Whether the estimate moved significantly since the last call (then the allocator reruns). */
  boolean takeChanged() {
    boolean c = changed;
    changed = false;
    return c;
  }

  @Override
  public void onBandwidthChange(long previousBps, long bps, BandwidthChangeReason reason) {
    changed = true;
  }

  /**
   * Numbers a packet about to be sent: writes the next transport-wide sequence number into its
   * 2-byte transport-cc element at {@code valueOffset} of {@code b}, or counts it unnumbered when
   * {@code valueOffset} is negative.
   *
   * @return the number written, or -1; hand it to {@link #unsent} if the transport refuses the
   *     packet
   */
  int stamp(byte[] b, int valueOffset, int packetLength, long nowNanos) {
    if (valueOffset < 0) {
      unstamped++;
      return -1;
    }
    int seq = sequencer.next(nowNanos, packetLength, false);
    b[valueOffset] = (byte) (seq >>> 8);
    b[valueOffset + 1] = (byte) seq;
    stamped++;
    return seq;
  }

  /**
   * The packet {@link #stamp} numbered {@code seq} (-1: none) was refused by the transport: the
   * number is taken back, so feedback does not report as lost a packet that never left.
   */
  void unsent(int seq) {
    if (seq >= 0) {
      sequencer.unsent(seq);
      stamped--;
      refused++;
    }
  }

  long stamped() {
    return stamped;
  }

  long unstamped() {
    return unstamped;
  }

  long probesSent() {
    return probesSent;
  }

  /** Numbered packets (media, RTX or probes) the transport refused, their numbers taken back. */
  long refused() {
    return refused;
  }

  /**
   * Sends the padding probes due now, towards {@code desiredBps}, as padding-only RTX packets (RFC
   * 4588 streams accept them; browsers discard them after counting them for transport-cc) on {@code
   * rtxSsrc}/{@code rtxPt} with the transport-cc element under {@code twccId}.
   */
  void probe(
      long nowNanos,
      long desiredBps,
      RtpSink sink,
      int rtxSsrc,
      int rtxPt,
      int twccId,
      int timestamp) {
    Prober prober = estimator.prober();
    int sent = 0;
    while (sent < 16 && prober.shouldProbe(nowNanos, desiredBps)) {
      int size = Math.clamp(prober.probeSize(), 12 + 8 + 1, MAX_PROBE);
      int padding = size - 12 - 8;
      int twcc = prober.next(nowNanos, size);
      writeProbe(rtxSsrc, rtxPt, twccId, twcc, timestamp, padding);
      if (!sink.sendRtp(probe, 0, size)) {
        // Numbered and counted by the prober already: taken back, or feedback would report it
        // lost. The transport refusing one probe will refuse the next: try again next time.
        prober.unsent(twcc, size);
        refused++;
        break;
      }
      probesSent++;
      sent++;
    }
    if (sent > 0 && log.isTraceEnabled()) {
      log.trace("downlink={} sent {} probe packets towards {} bps", id, sent, desiredBps);
    }
  }

  private void writeProbe(int ssrc, int pt, int twccId, int twcc, int ts, int padding) {
    byte[] b = probe;
    probeSeq = (probeSeq + 1) & 0xFFFF;
    b[0] = (byte) 0xB0; // V=2, P=1, X=1
    b[1] = (byte) (pt & 0x7F);
    RtpHeaders.write(b, probeSeq, ts, ssrc);
    // RFC 8285 one-byte header: one word holding the 2-byte transport-cc element and a pad byte.
    b[12] = (byte) 0xBE;
    b[13] = (byte) 0xDE;
    b[14] = 0;
    b[15] = 1;
    b[16] = (byte) ((twccId << 4) | 1);
    b[17] = (byte) (twcc >>> 8);
    b[18] = (byte) twcc;
    b[19] = 0;
    java.util.Arrays.fill(b, 20, 20 + padding - 1, (byte) 0);
    b[20 + padding - 1] = (byte) padding;
  }
}
