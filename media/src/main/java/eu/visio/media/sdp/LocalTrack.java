package eu.visio.media.sdp;

import java.util.List;
import java.util.Objects;

/**
 * A track this server sends (WHEP egress, subscriber offers): what goes into {@code a=msid} and the
 * {@code a=ssrc} lines (RFC 8830, RFC 5576).
 *
 * @param kind audio or video
 * @param codecs acceptable codecs, preferred first (for forwarding this is the publisher's codec)
 * @param ssrc media SSRC
 * @param rtxSsrc RTX SSRC (RFC 4588), 0 for none
 * @param streamId msid stream id
 * @param trackId msid track id
 * @param cname RTCP CNAME
 */
public record LocalTrack(
    MediaKind kind,
    List<CodecId> codecs,
    long ssrc,
    long rtxSsrc,
    String streamId,
    String trackId,
    String cname) {

  public LocalTrack {
    codecs = List.copyOf(codecs);
    if (kind == MediaKind.APPLICATION || codecs.isEmpty()) {
      throw new IllegalArgumentException("a track is audio or video with at least one codec");
    }
    for (CodecId c : codecs) {
      if (c.kind() != kind) {
        throw new IllegalArgumentException("codec " + c + " is not " + kind);
      }
    }
    if (ssrc <= 0 || ssrc > 0xFFFF_FFFFL || rtxSsrc < 0 || rtxSsrc > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("ssrc out of range");
    }
    if (!Tokens.isVisible(streamId) || !Tokens.isVisible(trackId) || !Tokens.isVisible(cname)) {
      throw new IllegalArgumentException("msid and cname must be visible ASCII");
    }
    Objects.requireNonNull(kind);
  }
}
