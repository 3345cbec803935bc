package eu.visio.sfu;

import java.util.List;
import java.util.Map;

/**
 * How one direction of a track is encoded on one peer's transport, as negotiated in its SDP.
 *
 * @param kind audio or video
 * @param codec encoding name (opus, VP8, H264, VP9, AV1)
 * @param clockRate RTP clock rate
 * @param payloadType media payload type on this peer
 * @param rtxPayloadType RTX payload type on this peer, or -1 without RTX
 * @param ssrc media SSRC (the publisher's, or the one we send to a subscriber); 0 for a simulcast
 *     publication whose SSRCs are learnt from the rid header extension
 * @param rtxSsrc RTX SSRC, or 0 without RTX (or not announced)
 * @param extensionIds header extension id by URI on this peer
 * @param mid the m-line this track uses on this peer's connection
 * @param rids a publisher's simulcast encodings (RFC 8853), lowest resolution first; empty for a
 *     single encoding
 * @param firOnly the publisher negotiated {@code ccm fir} but not {@code nack pli}: ask for
 *     keyframes with FIR (RFC 5104 §4.3.1)
 * @param redPayloadType payload type of RFC 2198 redundant audio ({@code red/48000}) carrying this
 *     codec on this peer, or -1
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
    String mid,
    List<String> rids,
    boolean firOnly,
    int redPayloadType) {

  public TrackInfo {
    extensionIds = Map.copyOf(extensionIds);
    rids = List.copyOf(rids);
  }

  /** A single-encoding track that asks for keyframes with PLI. */
  public TrackInfo(
      TrackKind kind,
      String codec,
      int clockRate,
      int payloadType,
      int rtxPayloadType,
      int ssrc,
      int rtxSsrc,
      Map<String, Integer> extensionIds,
      String mid) {
    this(
        kind,
        codec,
        clockRate,
        payloadType,
        rtxPayloadType,
        ssrc,
        rtxSsrc,
        extensionIds,
        mid,
        List.of(),
        false,
        -1);
  }

  /** The same track, also carried as RED under {@code pt} on this peer. */
  public TrackInfo withRed(int pt) {
    return new TrackInfo(
        kind,
        codec,
        clockRate,
        payloadType,
        rtxPayloadType,
        ssrc,
        rtxSsrc,
        extensionIds,
        mid,
        rids,
        firOnly,
        pt);
  }

  public boolean hasRed() {
    return redPayloadType >= 0;
  }

  /** Whether RTX was negotiated. A simulcast publication learns its RTX SSRCs from the packets. */
  public boolean hasRtx() {
    return rtxPayloadType >= 0 && (rtxSsrc != 0 || !rids.isEmpty());
  }

  /** Number of encodings the publisher sends: its simulcast rids, or one. */
  public int encodings() {
    return rids.isEmpty() ? 1 : rids.size();
  }

  /** Whether this is a scalable codec whose layers share one SSRC (VP9 or AV1 SVC). */
  public boolean svc() {
    return rids.size() <= 1
        && (codec.equalsIgnoreCase("VP9")
            || (codec.equalsIgnoreCase("AV1")
                && extensionIds.containsKey(
                    eu.visio.media.sdp.RtpExtensions.DEPENDENCY_DESCRIPTOR)));
  }
}
