package eu.visio.sfu;

import java.util.Map;

/**
 * How one direction of a track is encoded on one peer's transport, as negotiated in its SDP.
 *
 * @param kind audio or video
 * @param codec encoding name (opus, VP8, H264, VP9, AV1)
 * @param clockRate RTP clock rate
 * @param payloadType media payload type on this peer
 * @param rtxPayloadType RTX payload type on this peer, or -1 without RTX
 * @param ssrc media SSRC (the publisher's, or the one we send to a subscriber)
 * @param rtxSsrc RTX SSRC, or 0 without RTX
 * @param extensionIds header extension id by URI on this peer
 * @param mid the m-line this track uses on this peer's connection
 */
public record TrackInfo(
    TrackKind kind,
    String codec,
    int clockRate,
    int payloadType,
    int rtxPayloadType,
    int ssrc,
    int rtxSsrc,
    Map<String, Integer> extensionIds,
    String mid) {

  public TrackInfo {
    extensionIds = Map.copyOf(extensionIds);
  }

  public boolean hasRtx() {
    return rtxPayloadType >= 0 && rtxSsrc != 0;
  }
}
