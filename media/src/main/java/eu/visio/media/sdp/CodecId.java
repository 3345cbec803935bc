package eu.visio.media.sdp;

import java.util.Map;

/**
 * The media codecs the SFU forwards. Each knows how to recognise and rank an offered payload
 * format: a negative rank means "not acceptable", lower is better.
 */
public enum CodecId {
  /** Opus (RFC 7587), always {@code opus/48000/2}. */
  OPUS(MediaKind.AUDIO, "opus", 48000, 2),
  /** VP8 (RFC 7741). */
  VP8(MediaKind.VIDEO, "VP8", 90000, 0),
  /** H.264 (RFC 6184) with packetization-mode=1 only; constrained baseline preferred. */
  H264(MediaKind.VIDEO, "H264", 90000, 0),
  /** VP9 (RFC 9628); profile 0 preferred, profile 2 accepted. */
  VP9(MediaKind.VIDEO, "VP9", 90000, 0),
  /** AV1 (AOM AV1 RTP payload format); main profile only. */
  AV1(MediaKind.VIDEO, "AV1", 90000, 0);

  private final MediaKind kind;
  private final String encodingName;
  private final int clockRate;
  private final int channels;

  CodecId(MediaKind kind, String encodingName, int clockRate, int channels) {
    this.kind = kind;
    this.encodingName = encodingName;
    this.clockRate = clockRate;
    this.channels = channels;
  }

  public MediaKind kind() {
    return kind;
  }

  /** The rtpmap encoding name as browsers write it. */
  public String encodingName() {
    return encodingName;
  }

  public int clockRate() {
    return clockRate;
  }

  /** Channel count in the rtpmap, 0 for video. */
  public int channels() {
    return channels;
  }

  /** The fmtp this server writes when it offers the codec, or null. */
  String defaultFmtp() {
    return switch (this) {
      case OPUS -> "minptime=10;useinbandfec=1";
      case H264 -> "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f";
      case VP9 -> "profile-id=0";
      case AV1 -> "level-idx=5;profile=0;tier=0";
      case VP8 -> null;
    };
  }

  /**
   * Ranks an offered payload format as this codec: negative when it is another codec or an
   * unsupported variant, otherwise lower is better.
   */
  int rank(RtpCodec offered) {
    if (!offered.is(encodingName) || offered.clockRate() != clockRate) {
      return -1;
    }
    Map<String, String> p = offered.fmtpParameters();
    return switch (this) {
      // RFC 7587 section 7: the rtpmap is always opus/48000/2.
      case OPUS -> offered.channels() == 2 ? 0 : -1;
      case VP8 -> 0;
      case H264 -> H264Profile.rank(p);
      // RFC 9628 section 6: profile-id defaults to 0; 1 and 3 are 4:4:4 which browsers rarely
      // decode.
      case VP9 -> {
        String profile = p.getOrDefault("profile-id", "0");
        yield profile.equals("0") ? 0 : profile.equals("2") ? 1 : -1;
      }
      // AV1 RTP spec section 7.2: profile defaults to 0 (main).
      case AV1 -> p.getOrDefault("profile", "0").equals("0") ? 0 : -1;
    };
  }
}
