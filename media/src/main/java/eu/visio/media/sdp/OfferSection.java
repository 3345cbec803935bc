package eu.visio.media.sdp;

import java.util.Objects;

/**
 * One m-line of an offer this server renegotiates (RFC 8829 §5.2.2: a later offer keeps every
 * m-line, with its mid, in its place).
 *
 * @param mid the m-line's mid, stable for the session
 * @param kind audio, video, or application (the data channel)
 * @param track the track sent on it now, or null: the m-line is then offered {@code inactive}, to
 *     carry another track in a later offer
 */
public record OfferSection(String mid, MediaKind kind, LocalTrack track) {
  public OfferSection {
    Objects.requireNonNull(mid);
    Objects.requireNonNull(kind);
    if (!Tokens.isVisible(mid)) {
      throw new IllegalArgumentException("a mid is visible ASCII");
    }
    if (track != null && track.kind() != kind) {
      throw new IllegalArgumentException("track " + track.kind() + " on a " + kind + " m-line");
    }
  }
}
