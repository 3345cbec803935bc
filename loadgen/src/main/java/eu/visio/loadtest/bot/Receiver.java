package eu.visio.loadtest.bot;

import eu.visio.media.rtcp.RtcpCompoundIterator;
import eu.visio.media.rtcp.RtcpHeader;
import eu.visio.media.rtcp.RtcpParseException;
import eu.visio.media.rtcp.TransportCcFeedback;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.sfu.TransportCcRecorder;
import eu.visio.sfu.layer.Vp8Descriptor;
import eu.visio.sfu.nack.NackGenerator;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The receiving half of a bot, answering as a browser does: a receiver report every second, Generic
 * NACKs for gaps (timed by the SFU's own {@link NackGenerator}), PLI when a video stream has no
 * keyframe to start from or lost one beyond repair, transport-cc feedback every 50 ms. It measures
 * what the report needs: unique packets per stream against the sequence numbers the server sent,
 * everything received, and the one-way delay from each packet's {@link Stamp}.
 *
 * <p>Owned by the bot's loop thread. Per packet it allocates nothing; feedback packets (a few per
 * second) may.
 */
final class Receiver {
  private static final long TICK_NANOS = 20_000_000L;
  private static final long TWCC_INTERVAL_NANOS = 50_000_000L;
  private static final long RR_INTERVAL_NANOS = 1_000_000_000L;
  private static final long PLI_INTERVAL_NANOS = 500_000_000L;

  private final PacketOut out;
  private final boolean feedback;
  private final BotLoop loop;
  final int ssrc = ThreadLocalRandom.current().nextInt() | 1;
  private final IntMap<ReceiveStream> streams = new IntMap<>();
  private final IntMap<ReceiveStream> rtxStreams = new IntMap<>();
  private final RtpPacket rtp = new RtpPacket();
  private final Vp8Descriptor vp8 = new Vp8Descriptor();
  private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
  private final TransportCcRecorder twcc = new TransportCcRecorder(4096);
  private final int[] lost = new int[256];
  private final int[] nackEntries = new int[64];
  private ReceiveStream[] streamList = new ReceiveStream[0];

  /** Publishers whose audio / video arrived (stamp's publisher index). */
  final BitSet audioFrom = new BitSet();

  final BitSet videoFrom = new BitSet();

  // Everything the server sent that is RTP, media or not (padding, RTX), and its bytes.
  long rtpPackets;
  long rtpBytes;
  long windowRtpPackets;
  long windowRtpBytes;

  /** Media packets in the window by video layer (0-2) and audio (3). */
  final long[] windowLayers = new long[4];

  private long nextTick;
  private long nextTwcc;
  private long nextReport;

  Receiver(PacketOut out, boolean feedback, BotLoop loop) {
    this.out = out;
    this.feedback = feedback;
    this.loop = loop;
    long now = System.nanoTime();
    nextTick = now + TICK_NANOS;
    nextTwcc = now + TWCC_INTERVAL_NANOS;
    nextReport = now + RR_INTERVAL_NANOS;
  }

  /** The answer named an RTX stream that repairs {@code mediaSsrc} (a=ssrc-group:FID). */
  void addRtx(int mediaSsrc, int rtxSsrc) {
    rtxStreams.put(rtxSsrc, stream(mediaSsrc, true));
  }

  private ReceiveStream stream(int ssrc, boolean video) {
    ReceiveStream s = streams.get(ssrc);
    if (s == null) {
      s = new ReceiveStream(ssrc, video); // one that starts inside the window counts from there
      streams.put(ssrc, s);
      ReceiveStream[] list = java.util.Arrays.copyOf(streamList, streamList.length + 1);
      list[list.length - 1] = s;
      streamList = list;
    }
    return s;
  }

  /** One plain RTP packet from the server. */
  void onRtp(byte[] b, int off, int len, long now) {
    if (!rtp.wrap(b, off, len)) {
      return;
    }
    rtpPackets++;
    rtpBytes += len;
    if (loop.measuring()) {
      windowRtpPackets++;
      windowRtpBytes += len;
    }
    long tw = rtp.readExtension(RtpOut.EXT_TRANSPORT_CC);
    if (tw >= 0 && feedback) {
      twcc.onPacket((int) tw, rtp.ssrc(), now);
    }
    int payload = off + rtp.headerLength();
    int end = payload + rtp.payloadLength();
    int pt = rtp.payloadType();
    ReceiveStream s;
    int seq;
    boolean retransmission = pt == RtpOut.RTX_PT;
    if (retransmission) {
      s = rtxStreams.get(rtp.ssrc());
      if (s == null || end - payload < 2) {
        return; // padding (probing) or an unknown repair stream
      }
      seq = (b[payload] & 0xFF) << 8 | (b[payload + 1] & 0xFF);
      payload += 2;
    } else if (pt == RtpOut.VP8_PT || pt == RtpOut.AUDIO_PT) {
      s = stream(rtp.ssrc(), pt == RtpOut.VP8_PT);
      seq = rtp.sequenceNumber();
    } else {
      return;
    }
    if (!Stamp.present(b, payload, end)) {
      return; // padding
    }
    if (!s.onPacket(seq, rtp.timestamp(), now, retransmission)) {
      return;
    }
    int publisher = Stamp.publisher(b, end);
    if (s.publisher != publisher) {
      s.publisher = publisher;
      (s.video ? videoFrom : audioFrom).set(publisher);
    }
    boolean measuring = loop.measuring();
    if (!retransmission && measuring) {
      loop.delays().record(now - Stamp.nanos(b, end));
      int layer = s.video ? Stamp.layer(b, end) & 3 : 3;
      windowLayers[layer]++;
      if (layer < 3) {
        s.windowLayerPackets[layer]++;
      }
    }
    if (!s.video) {
      return;
    }
    if (measuring && rtp.marker()) {
      s.windowFrames++;
    }
    if ((s.needKeyframe || measuring) && vp8.parse(b, payload, end - payload) && vp8.keyframe()) {
      s.needKeyframe = false;
      if (measuring) {
        s.windowKeyframes++;
      }
    }
  }

  /** One plain RTCP compound from the server: sender reports give LSR for our reports. */
  void onRtcp(byte[] b, int off, int len, long now) {
    rtcp.wrap(b, off, len);
    try {
      while (rtcp.hasNext()) {
        if (rtcp.next() == RtcpHeader.SR && rtcp.packetLength() >= 28) {
          ReceiveStream s = streams.get(rtcp.ssrc());
          if (s != null) {
            int p = rtcp.packetOffset();
            s.lastSr = Stamp.getInt(b, p + 10);
            s.lastSrAt = now;
          }
        }
      }
    } catch (RtcpParseException e) {
      // ignore the rest of a malformed compound
    }
  }

  /** Sends the feedback that is due; returns when to be called next. */
  long tick(long now) {
    if (!feedback) {
      return Long.MAX_VALUE;
    }
    if (now >= nextTick) {
      nextTick = now + TICK_NANOS;
      for (ReceiveStream s : streamList) {
        if (s.video) {
          nack(s, now);
          keyframe(s, now);
        }
      }
    }
    if (now >= nextTwcc) {
      nextTwcc = now + TWCC_INTERVAL_NANOS;
      TransportCcFeedback f = twcc.build(ssrc);
      if (f != null) {
        out.sendRtcp(f.write(out.buffer(), 0));
      }
    }
    if (now >= nextReport) {
      nextReport = now + RR_INTERVAL_NANOS;
      report(now);
    }
    return Math.min(nextTick, Math.min(nextTwcc, nextReport));
  }

  private void nack(ReceiveStream s, long now) {
    int n = s.nacks.collect(now, lost);
    if (n > 0) {
      int entries = NackGenerator.pack(lost, n, nackEntries);
      byte[] b = out.buffer();
      b[0] = (byte) 0x81; // FMT 1
      b[1] = (byte) RtcpHeader.RTPFB;
      b[2] = 0;
      b[3] = (byte) (2 + entries);
      Stamp.putInt(b, 4, ssrc);
      Stamp.putInt(b, 8, s.ssrc);
      for (int i = 0; i < entries; i++) {
        Stamp.putInt(b, 12 + 4 * i, nackEntries[i]);
      }
      out.sendRtcp(12 + 4 * entries);
    }
    if (s.nacks.takeKeyframeRequest()) {
      s.needKeyframe = true;
    }
  }

  private void keyframe(ReceiveStream s, long now) {
    if (s.needKeyframe && s.unique > 0 && now - s.lastPliAt >= PLI_INTERVAL_NANOS) {
      s.lastPliAt = now;
      out.sendRtcp(RtpOut.pli(out.buffer(), 0, ssrc, s.ssrc));
    }
  }

  /** A receiver report with a block per stream (31 at most per RR, RFC 3550 §6.4.2). */
  private void report(long now) {
    byte[] b = out.buffer();
    int i = 0;
    do {
      int count = Math.min(31, streamList.length - i);
      b[0] = (byte) (0x80 | count);
      b[1] = (byte) RtcpHeader.RR;
      b[2] = 0;
      b[3] = (byte) (1 + 6 * count);
      Stamp.putInt(b, 4, ssrc);
      int p = 8;
      for (int k = 0; k < count; k++) {
        p += streamList[i + k].writeReportBlock(b, p, now);
      }
      out.sendRtcp(p);
      i += count;
    } while (i < streamList.length);
  }

  /** Starts the measurement window (on the loop thread). */
  void startWindow() {
    windowRtpPackets = 0;
    windowRtpBytes = 0;
    java.util.Arrays.fill(windowLayers, 0);
    for (ReceiveStream s : streamList) {
      s.startWindow();
    }
  }

  /**
   * Adds what each video stream that has a known publisher received in the window to {@code out}
   * (on the loop thread, once per window: it allocates).
   */
  void addVideoWindows(String subscriber, java.util.List<VideoWindow> out) {
    for (ReceiveStream s : streamList) {
      if (s.video && s.publisher >= 0) {
        out.add(
            new VideoWindow(
                subscriber,
                s.publisher,
                s.windowLayerPackets.clone(),
                s.windowFrames,
                s.windowKeyframes));
      }
    }
  }

  /** Adds this receiver's window counts to {@code totals} (on the loop thread). */
  void addWindow(long[] totals) {
    for (ReceiveStream s : streamList) {
      totals[0] += s.windowExpected();
      totals[1] += Math.min(s.windowReceived(), s.windowExpected());
    }
    totals[2] += windowRtpPackets;
    totals[3] += windowRtpBytes;
    for (int i = 0; i < 4; i++) {
      totals[4 + i] += windowLayers[i];
    }
  }
}
