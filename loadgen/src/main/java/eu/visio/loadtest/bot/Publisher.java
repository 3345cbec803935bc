package eu.visio.loadtest.bot;

import eu.visio.media.rtcp.RtcpCompoundIterator;
import eu.visio.media.rtcp.RtcpHeader;
import eu.visio.media.rtcp.RtcpParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sending half of a bot: Opus-sized audio every 20 ms and VP8 simulcast at 30 fps, each layer
 * packetized like libwebrtc (frames split evenly into packets of at most the MTU, a valid payload
 * descriptor with picture id, TL0PICIDX and an L1T3 temporal pattern, a payload header whose P bit
 * marks keyframes), a keyframe periodically and on PLI/FIR, sender reports every second. Layers are
 * switched on and off as the server asks (LiveKit's dynacast).
 *
 * <p>Owned by the bot's loop thread; writes into the bot's one send buffer.
 */
final class Publisher {
  static final long AUDIO_INTERVAL_NANOS = 20_000_000L;
  static final long FRAME_INTERVAL_NANOS = 1_000_000_000L / 30;
  private static final long SR_INTERVAL_NANOS = 1_000_000_000L;

  /** Behind by more than this (a stalled loop): skip ahead rather than send a burst. */
  private static final long MAX_LAG_NANOS = 200_000_000L;

  private final int index;
  private final MediaConfig config;
  private final PacketOut out;
  private final long epoch = System.nanoTime();

  final Stream audio;
  final Layer[] layers;
  private int twccSeq;
  private long nextAudio;
  private long nextFrame;
  private long nextReport;
  private long frames;

  private long packetsSent;

  /** One RTP stream's counters. */
  static class Stream {
    final int ssrc;
    final int clockRate;
    final int timestampBase;
    int seq;
    int packets;
    int octets;

    Stream(int ssrc, int clockRate) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      this.ssrc = ssrc;
      this.clockRate = clockRate;
      this.timestampBase = r.nextInt();
      this.seq = r.nextInt(0x10000);
    }

    int timestamp(long sinceEpochNanos) {
      return timestampBase + (int) (sinceEpochNanos * clockRate / 1_000_000_000L);
    }
  }

  /** One simulcast layer. */
  static final class Layer extends Stream {
    final int layer;
    final int deltaFrameBytes;
    final int keyFrameBytes;
    volatile boolean enabled = true;
    boolean keyframeRequested = true; // a stream starts with one
    int pictureId = ThreadLocalRandom.current().nextInt(0x8000);
    int tl0PicIdx = ThreadLocalRandom.current().nextInt(0x100);
    long sinceKey;

    Layer(int layer, int ssrc, int bitrate, int keyframeInterval) {
      super(ssrc, 90_000);
      this.layer = layer;
      // A keyframe is five delta frames' worth; the average over an interval is the bitrate.
      double perInterval = bitrate / 8.0 * keyframeInterval / 30.0;
      this.deltaFrameBytes = Math.max(40, (int) (perInterval / (keyframeInterval + 4)));
      this.keyFrameBytes = deltaFrameBytes * 5;
    }
  }

  Publisher(int index, MediaConfig config, PacketOut out, int ssrcBase) {
    this.index = index;
    this.config = config;
    this.out = out;
    this.audio = config.audio() ? new Stream(ssrcBase | 3, 48_000) : null;
    this.layers = new Layer[config.layers()];
    for (int i = 0; i < layers.length; i++) {
      layers[i] =
          new Layer(
              i, ssrcBase | i, config.layerBitrates().get(i), config.keyframeIntervalFrames());
    }
    long now = System.nanoTime();
    // Spread the bots' frames over the interval, as independent cameras would be.
    nextFrame = now + ThreadLocalRandom.current().nextLong(FRAME_INTERVAL_NANOS);
    nextAudio = now + ThreadLocalRandom.current().nextLong(AUDIO_INTERVAL_NANOS);
    nextReport = now + SR_INTERVAL_NANOS;
  }

  /**
   * The SSRC base of publisher {@code index}: the low two bits name the stream (0-2 video layers, 3
   * audio), so the relay tells layers apart without parsing anything else.
   */
  static int ssrcBase(int index) {
    return 0x10000000 | index << 4;
  }

  /** Layer of a bot SSRC (3: audio), see {@link #ssrcBase}. */
  static int layerOf(int ssrc) {
    return ssrc & 3;
  }

  long packetsSent() {
    return packetsSent;
  }

  /** Sends what is due and returns when to be called next. */
  long tick(long now) {
    if (audio != null && now >= nextAudio) {
      if (now - nextAudio > MAX_LAG_NANOS) {
        nextAudio = now;
      }
      sendAudio(now);
      nextAudio += AUDIO_INTERVAL_NANOS;
    }
    if (layers.length > 0 && now >= nextFrame) {
      if (now - nextFrame > MAX_LAG_NANOS) {
        nextFrame = now;
      }
      sendFrame(now);
      nextFrame += FRAME_INTERVAL_NANOS;
    }
    if (now >= nextReport) {
      sendReports(now);
      nextReport += SR_INTERVAL_NANOS;
    }
    long next = nextReport;
    if (audio != null) {
      next = Math.min(next, nextAudio);
    }
    if (layers.length > 0) {
      next = Math.min(next, nextFrame);
    }
    return next;
  }

  private void sendAudio(long now) {
    byte[] b = out.buffer();
    Stream s = audio;
    int p = RtpOut.header(b, false, RtpOut.AUDIO_PT, s.seq, s.timestamp(now - epoch), s.ssrc);
    p = RtpOut.extensions(b, twccSeq++, '0', (char) 0, 30);
    int end = p + config.audioPayloadBytes();
    java.util.Arrays.fill(b, p, end - Stamp.LENGTH, (byte) 0x55);
    Stamp.write(b, end - Stamp.LENGTH, index, Stamp.AUDIO, 3, System.nanoTime());
    s.seq = (s.seq + 1) & 0xFFFF;
    s.packets++;
    s.octets += end - p;
    out.sendRtp(end);
    packetsSent++;
  }

  private void sendFrame(long now) {
    for (Layer l : layers) {
      if (l.enabled) {
        sendLayerFrame(l, now);
      } else {
        l.keyframeRequested = true; // resuming starts with a keyframe, as an encoder does
      }
    }
    frames++;
  }

  private void sendLayerFrame(Layer l, long now) {
    boolean key = l.keyframeRequested || l.sinceKey >= config.keyframeIntervalFrames();
    if (key) {
      l.keyframeRequested = false;
      l.sinceKey = 0;
    }
    int tid = Vp8Payload.temporalId(l.sinceKey);
    if (tid == 0) {
      l.tl0PicIdx = (l.tl0PicIdx + 1) & 0xFF;
    }
    int frameBytes = key ? l.keyFrameBytes : l.deltaFrameBytes;
    int header = 24 + Vp8Payload.DESCRIPTOR_LENGTH;
    int maxData = config.maxPacketBytes() - header - Stamp.LENGTH;
    int n = Vp8Payload.packetCount(frameBytes, maxData);
    int timestamp = l.timestamp(now - epoch);
    byte[] b = out.buffer();
    for (int i = 0; i < n; i++) {
      int data = Vp8Payload.packetSize(frameBytes, n, i);
      RtpOut.header(b, i == n - 1, RtpOut.VP8_PT, l.seq, timestamp, l.ssrc);
      int p = RtpOut.extensions(b, twccSeq++, '1', MediaConfig.RIDS[l.layer].charAt(0), 0);
      int payload = p;
      p += Vp8Payload.writeDescriptor(b, p, i == 0, l.pictureId, l.tl0PicIdx, tid, tid == 1);
      int end = p + data + Stamp.LENGTH;
      if (i == 0) {
        p +=
            Vp8Payload.writeHeader(
                b,
                p,
                key,
                frameBytes / 4,
                MediaConfig.WIDTHS[l.layer],
                MediaConfig.HEIGHTS[l.layer]);
      }
      java.util.Arrays.fill(b, p, end - Stamp.LENGTH, (byte) 0x3c);
      Stamp.write(b, end - Stamp.LENGTH, index, Stamp.VIDEO, l.layer, System.nanoTime());
      l.seq = (l.seq + 1) & 0xFFFF;
      l.packets++;
      l.octets += end - payload;
      out.sendRtp(end);
      packetsSent++;
    }
    l.pictureId = (l.pictureId + 1) & 0x7FFF;
    l.sinceKey++;
  }

  private void sendReports(long now) {
    byte[] b = out.buffer();
    long ntp = RtpOut.ntpNow();
    int len = 0;
    if (audio != null) {
      len += report(b, len, audio, ntp, now);
    }
    for (Layer l : layers) {
      if (l.enabled && l.packets > 0) {
        len += report(b, len, l, ntp, now);
      }
    }
    if (len > 0) {
      out.sendRtcp(len);
    }
  }

  private int report(byte[] b, int off, Stream s, long ntp, long now) {
    return RtpOut.senderReport(b, off, s.ssrc, ntp, s.timestamp(now - epoch), s.packets, s.octets);
  }

  /** Feedback from the server: PLI and FIR ask the layer they name for a keyframe. */
  void onRtcp(RtcpCompoundIterator it, byte[] b, int off, int len) {
    it.wrap(b, off, len);
    try {
      while (it.hasNext()) {
        if (it.next() != RtcpHeader.PSFB) {
          continue;
        }
        if (it.count() == RtcpHeader.FMT_PLI) {
          requestKeyframe(it.mediaSsrc());
        } else if (it.count() == RtcpHeader.FMT_FIR && it.packetLength() >= 20) {
          requestKeyframe(Stamp.getInt(b, it.packetOffset() + 12));
        }
      }
    } catch (RtcpParseException e) {
      // a malformed compound from the server: ignore the rest, as a browser would
    }
  }

  private void requestKeyframe(int ssrc) {
    for (Layer l : layers) {
      if (l.ssrc == ssrc) {
        l.keyframeRequested = true;
      }
    }
  }

  /** Switches a simulcast layer on or off (the server's SubscribedQualityUpdate). */
  void setLayerEnabled(int layer, boolean enabled) {
    if (layer >= 0 && layer < layers.length) {
      layers[layer].enabled = enabled;
    }
  }
}
