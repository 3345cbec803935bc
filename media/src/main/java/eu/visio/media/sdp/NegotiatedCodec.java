package eu.visio.media.sdp;

import java.util.List;
import java.util.Map;

/**
 * A payload format both sides agreed on, with the offerer's payload type numbers.
 *
 * @param name encoding name as offered ({@code opus}, {@code VP8}, {@code H264}, {@code red}...)
 * @param payloadType RTP payload type
 * @param clockRate RTP clock rate in Hz
 * @param channels audio channels, 0 for video
 * @param fmtp format parameters as offered, or null
 * @param rtxPayloadType payload type of the RTX stream (RFC 4588) or {@link #NO_RTX}
 * @param rtcpFeedback accepted rtcp-fb values, e.g. {@code "nack pli"}
 */
public record NegotiatedCodec(
    String name,
    int payloadType,
    int clockRate,
    int channels,
    String fmtp,
    int rtxPayloadType,
    List<String> rtcpFeedback) {

  /** Marks the absence of an RTX payload type. */
  public static final int NO_RTX = -1;

  public NegotiatedCodec {
    rtcpFeedback = List.copyOf(rtcpFeedback);
  }

  public boolean hasRtx() {
    return rtxPayloadType != NO_RTX;
  }

  /** The fmtp parameters as an ordered map with lower-case keys. */
  public Map<String, String> fmtpParameters() {
    return RtpCodec.parseParameters(fmtp);
  }
}
