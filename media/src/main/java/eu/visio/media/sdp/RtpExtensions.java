package eu.visio.media.sdp;

import java.util.Set;

/** RTP header extension URIs the SFU understands (RFC 8285 section 5 registry names). */
public final class RtpExtensions {
  /** RFC 8843 section 15.2: routes packets of a BUNDLE group to their m-line. */
  public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";

  /** RFC 8852 section 3.1: simulcast layer id. */
  public static final String RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";

  /** RFC 8852 section 3.2: simulcast layer id of an RTX stream. */
  public static final String REPAIRED_RTP_STREAM_ID =
      "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

  /** RFC 6464: client-to-mixer audio level. */
  public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

  /** Google absolute send time, used by REMB bandwidth estimation. */
  public static final String ABS_SEND_TIME =
      "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

  /** Transport-wide sequence number for transport-cc feedback. */
  public static final String TRANSPORT_CC =
      "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

  /** RFC 5450 transmission time offset. */
  public static final String TOFFSET = "urn:ietf:params:rtp-hdrext:toffset";

  /** 3GPP TS 26.114 coordination of video orientation. */
  public static final String VIDEO_ORIENTATION = "urn:3gpp:video-orientation";

  /** Google playout delay limits. */
  public static final String PLAYOUT_DELAY =
      "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";

  /** AV1 RTP spec appendix A: dependency descriptor, used for SVC layer forwarding. */
  public static final String DEPENDENCY_DESCRIPTOR =
      "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";

  /** Google absolute capture time. */
  public static final String ABS_CAPTURE_TIME =
      "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time";

  /** Extensions accepted by default for audio. */
  public static final Set<String> AUDIO =
      Set.of(MID, AUDIO_LEVEL, ABS_SEND_TIME, TRANSPORT_CC, ABS_CAPTURE_TIME);

  /** Extensions accepted by default for video. */
  public static final Set<String> VIDEO =
      Set.of(
          MID,
          RTP_STREAM_ID,
          REPAIRED_RTP_STREAM_ID,
          ABS_SEND_TIME,
          TRANSPORT_CC,
          TOFFSET,
          VIDEO_ORIENTATION,
          PLAYOUT_DELAY,
          DEPENDENCY_DESCRIPTOR,
          ABS_CAPTURE_TIME);

  private RtpExtensions() {}
}
