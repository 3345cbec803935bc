package eu.visio.sfu;

import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.sfu.layer.Vp8Descriptor;
import eu.visio.sfu.svc.DependencyDescriptor;
import eu.visio.sfu.svc.Vp9Descriptor;

/**
 * What the down tracks need to know about one packet of a published track, read once per source
 * packet however many subscribers there are: the encoding it came on, whether it starts a frame or
 * a keyframe, its temporal layer and layer-sync flag, and the parsed codec descriptor the rewriters
 * use. One instance per published track, overwritten by every packet: no allocation.
 *
 * <p>Codecs: VP8 reads its payload descriptor (RFC 7741), VP9 its own (RFC 9628), AV1 the
 * dependency descriptor extension when negotiated (else every packet is layer 0 and keyframes come
 * from the aggregation header), H.264 and audio have no layers: a frame starts when the timestamp
 * changes, and for audio every packet is a "keyframe" (any packet can start a subscriber).
 */
final class SourcePacket {
  enum Codec {
    AUDIO,
    VP8,
    VP9,
    AV1,
    H264,
    OTHER;

    static Codec of(TrackInfo info) {
      if (info.kind() == TrackKind.AUDIO) {
        return AUDIO;
      }
      String c = info.codec();
      if (c.equalsIgnoreCase("VP8")) {
        return VP8;
      } else if (c.equalsIgnoreCase("VP9")) {
        return VP9;
      } else if (c.equalsIgnoreCase("AV1")) {
        return AV1;
      } else if (c.equalsIgnoreCase("H264")) {
        return H264;
      }
      return OTHER;
    }
  }

  final Codec codec;
  final String codecName;
  final int ddExtensionId;
  final Vp8Descriptor vp8 = new Vp8Descriptor();
  final Vp9Descriptor vp9 = new Vp9Descriptor();

  /** One per encoding: the dependency descriptor keeps its stream's structure between packets. */
  final DependencyDescriptor[] dd;

  RtpPacket packet;
  int encoding;
  boolean parsed;
  boolean keyframe;

  /**
   * Whether the packet belongs to a keyframe's picture, not only starts it: what the layer's rate
   * measurement counts apart ({@code LayerBitrates}).
   */
  boolean ofKeyframe;

  boolean frameStart;
  int tid;

  /** The spatial layer for bitrate accounting: the encoding, or the SVC spatial id. */
  int spatial;

  boolean layerSync;
  boolean sizeChanged;

  SourcePacket(TrackInfo info) {
    this.codec = Codec.of(info);
    this.codecName = info.codec();
    this.ddExtensionId = info.extensionIds().getOrDefault(RtpExtensions.DEPENDENCY_DESCRIPTOR, 0);
    this.dd = new DependencyDescriptor[info.encodings()];
    for (int i = 0; i < dd.length; i++) {
      dd[i] = new DependencyDescriptor();
    }
  }

  /** The dependency descriptor of the current packet's encoding. */
  DependencyDescriptor dependencyDescriptor() {
    return dd[encoding];
  }

  /**
   * Reads {@code p}, a packet of {@code stream}. Never throws: a payload that does not parse leaves
   * {@link #parsed} false (video down tracks then drop it, counted as malformed).
   */
  void read(RtpPacket p, ReceiveStream stream) {
    packet = p;
    encoding = stream.index;
    tid = 0;
    spatial = stream.index;
    layerSync = false;
    sizeChanged = false;
    byte[] b = p.buffer();
    int off = p.payloadOffset();
    int len = p.payloadLength();
    boolean newTimestamp = !stream.lastTimestampValid || stream.lastTimestamp != p.timestamp();
    stream.lastTimestamp = p.timestamp();
    stream.lastTimestampValid = true;
    switch (codec) {
      case AUDIO -> {
        parsed = true;
        keyframe = true;
        frameStart = true;
      }
      case VP8 -> {
        parsed = vp8.parse(b, off, len);
        keyframe = parsed && vp8.keyframe();
        frameStart = parsed && vp8.frameStart();
        if (parsed && vp8.hasTid()) {
          tid = vp8.tid();
          layerSync = vp8.layerSync();
        }
        if (keyframe) {
          readVp8Size(stream, b, off + vp8.length(), len - vp8.length());
        }
      }
      case VP9 -> {
        parsed = vp9.parse(b, off, len);
        keyframe = parsed && vp9.keyframe();
        frameStart = parsed && vp9.startOfFrame();
        if (parsed) {
          tid = Math.max(0, vp9.tid());
          layerSync = vp9.switchingUp();
          if (dd.length == 1) {
            spatial = Math.max(0, vp9.sid());
          }
        }
      }
      case AV1 -> {
        DependencyDescriptor d = dd[encoding];
        int ext = ddExtensionId == 0 ? -1 : p.extensionOffset(ddExtensionId);
        if (ext >= 0) {
          parsed = d.parse(b, ext, p.extensionLength(ddExtensionId));
          frameStart = parsed && d.startOfFrame();
          keyframe = parsed && d.structureAttached() && d.startOfFrame();
          if (parsed) {
            tid = d.temporalId();
            if (dd.length == 1) {
              spatial = d.spatialId();
            }
          }
        } else {
          parsed = len > 0;
          keyframe = Keyframes.isKeyframe(codecName, b, off, len);
          frameStart = newTimestamp;
        }
      }
      case H264, OTHER -> {
        parsed = len > 0;
        keyframe = Keyframes.isKeyframe(codecName, b, off, len);
        frameStart = newTimestamp;
      }
    }
    // The picture's first packet says whether it is a keyframe; the packets after it (same
    // timestamp: SVC's upper spatial layers too) are of it.
    if (newTimestamp) {
      stream.inKeyframe = keyframe;
    } else if (keyframe) {
      stream.inKeyframe = true; // said by a later packet (the first was lost or late)
    }
    ofKeyframe = stream.inKeyframe;
  }

  /**
   * RFC 6386 §9.1: a key frame's 10-byte header ends with 14-bit width and height. Sets {@link
   * #sizeChanged} when they differ from the stream's last ones.
   */
  private void readVp8Size(ReceiveStream stream, byte[] b, int off, int len) {
    if (len < 10
        || (b[off + 3] & 0xFF) != 0x9d
        || (b[off + 4] & 0xFF) != 0x01
        || (b[off + 5] & 0xFF) != 0x2a) {
      return;
    }
    int w = ((b[off + 6] & 0xFF) | (b[off + 7] & 0xFF) << 8) & 0x3FFF;
    int h = ((b[off + 8] & 0xFF) | (b[off + 9] & 0xFF) << 8) & 0x3FFF;
    sizeChanged = w != stream.width || h != stream.height;
    stream.width = w;
    stream.height = h;
  }
}
