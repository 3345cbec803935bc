package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed session description (RFC 8866): session-level lines and the media sections.
 *
 * <p>Use {@link #parse(String)} to read an offer or answer and {@link #write()} to serialise one
 * (CRLF line ends, RFC 8866 section 5). {@link #toString()} is the same text with ICE passwords
 * masked, so a description can be logged. Nullable components are null when the line is absent.
 *
 * @param origin the {@code o=} line
 * @param sessionName the {@code s=} text ({@code "-"} in WebRTC)
 * @param extraLines {@code i= u= e= p= r= z= k=} lines verbatim with their type letter
 * @param connection session-level {@code c=}, nullable
 * @param bandwidths session-level {@code b=} values
 * @param startTime first {@code t=} value (0 in WebRTC)
 * @param stopTime second {@code t=} value
 * @param groups {@code a=group} lines, e.g. BUNDLE (RFC 8843)
 * @param iceLite {@code a=ice-lite} (RFC 8839 section 5.3)
 * @param iceOptions session-level {@code a=ice-options} tokens
 * @param iceUfrag session-level ufrag, nullable (media-level values take precedence)
 * @param icePwd session-level password, nullable; never logged
 * @param fingerprints session-level fingerprints
 * @param setup session-level DTLS role, nullable
 * @param msidSemantic {@code a=msid-semantic} value such as {@code "WMS"}, nullable
 * @param extmapAllowMixed {@code a=extmap-allow-mixed} (RFC 8285 section 6)
 * @param otherAttributes other session attributes, in input order
 * @param media the media sections, in order
 */
public record SessionDescription(
    Origin origin,
    String sessionName,
    List<String> extraLines,
    Connection connection,
    List<String> bandwidths,
    long startTime,
    long stopTime,
    List<Group> groups,
    boolean iceLite,
    List<String> iceOptions,
    String iceUfrag,
    String icePwd,
    List<Fingerprint> fingerprints,
    Setup setup,
    String msidSemantic,
    boolean extmapAllowMixed,
    List<Attribute> otherAttributes,
    List<MediaDescription> media) {

  /**
   * Largest accepted input, in characters. A browser's offer is 2 to 20 KiB, but a LiveKit client
   * in a meeting of 150 offers a receive m-line per remote track: some 300 m-lines, near 500 KiB.
   */
  public static final int MAX_LENGTH = 1024 * 1024;

  public SessionDescription {
    extraLines = List.copyOf(extraLines);
    bandwidths = List.copyOf(bandwidths);
    groups = List.copyOf(groups);
    iceOptions = List.copyOf(iceOptions);
    fingerprints = List.copyOf(fingerprints);
    otherAttributes = List.copyOf(otherAttributes);
    media = List.copyOf(media);
  }

  /**
   * Parses SDP text with CRLF or LF line ends.
   *
   * @throws SdpParseException with a one-line reason when the text is not a valid description
   */
  public static SessionDescription parse(String text) throws SdpParseException {
    return SdpParser.parse(text);
  }

  /** The SDP text, CRLF line ends. */
  public String write() {
    return SdpWriter.write(this, false);
  }

  /** The SDP text with ICE passwords masked; safe to log. */
  @Override
  public String toString() {
    return SdpWriter.write(this, true);
  }

  /** The mids of the first BUNDLE group, or an empty list. */
  public List<String> bundleMids() {
    for (Group g : groups) {
      if (g.semantics().equals("BUNDLE")) {
        return g.mids();
      }
    }
    return List.of();
  }

  /** The media section with this mid, or null. */
  public MediaDescription media(String mid) {
    for (MediaDescription m : media) {
      if (mid.equals(m.mid())) {
        return m;
      }
    }
    return null;
  }

  /** A builder for a WebRTC description: {@code s=-}, {@code t=0 0}. */
  public static Builder builder(Origin origin) {
    return new Builder(origin);
  }

  /** Mutable builder; lists are appended to directly. */
  public static final class Builder {
    final Origin origin;
    String sessionName = "-";
    final List<String> extraLines = new ArrayList<>();
    Connection connection;
    final List<String> bandwidths = new ArrayList<>();
    long startTime;
    long stopTime;
    final List<Group> groups = new ArrayList<>();
    boolean iceLite;
    final List<String> iceOptions = new ArrayList<>();
    String iceUfrag;
    String icePwd;
    final List<Fingerprint> fingerprints = new ArrayList<>();
    Setup setup;
    String msidSemantic;
    boolean extmapAllowMixed;
    final List<Attribute> otherAttributes = new ArrayList<>();
    final List<MediaDescription> media = new ArrayList<>();

    Builder(Origin origin) {
      this.origin = origin;
    }

    public Builder group(Group value) {
      groups.add(value);
      return this;
    }

    public Builder iceLite(boolean value) {
      iceLite = value;
      return this;
    }

    public Builder iceOption(String value) {
      iceOptions.add(value);
      return this;
    }

    public Builder msidSemantic(String value) {
      msidSemantic = value;
      return this;
    }

    public Builder extmapAllowMixed(boolean value) {
      extmapAllowMixed = value;
      return this;
    }

    public Builder attribute(Attribute value) {
      otherAttributes.add(value);
      return this;
    }

    public Builder media(MediaDescription value) {
      media.add(value);
      return this;
    }

    public SessionDescription build() {
      return new SessionDescription(
          origin,
          sessionName,
          extraLines,
          connection,
          bandwidths,
          startTime,
          stopTime,
          groups,
          iceLite,
          iceOptions,
          iceUfrag,
          icePwd,
          fingerprints,
          setup,
          msidSemantic,
          extmapAllowMixed,
          otherAttributes,
          media);
    }
  }
}
