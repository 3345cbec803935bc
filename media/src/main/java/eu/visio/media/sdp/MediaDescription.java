package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * One media section: an {@code m=} line (RFC 8866 section 5.14) and its lines up to the next one.
 * Attributes WebRTC relies on are typed; anything else is kept in {@link #otherAttributes} so it is
 * written back unchanged. Nullable components are null when the line is absent.
 *
 * @param kind audio, video or application
 * @param port transport port; 0 marks a rejected section (RFC 3264 section 6)
 * @param proto e.g. {@code UDP/TLS/RTP/SAVPF} or {@code UDP/DTLS/SCTP}
 * @param formats the format list: payload types for RTP, {@code webrtc-datachannel} for SCTP
 * @param connection the {@code c=} line, nullable
 * @param bandwidths {@code b=} values such as {@code AS:2000}
 * @param extraLines other lines ({@code i=}, {@code k=}) verbatim with their type letter
 * @param mid {@code a=mid} (RFC 5888), nullable
 * @param direction direction attribute, nullable (meaning sendrecv)
 * @param rtcpMux {@code a=rtcp-mux} (RFC 5761)
 * @param rtcpRsize {@code a=rtcp-rsize} (RFC 5506)
 * @param iceUfrag nullable (RFC 8839 section 5.4)
 * @param icePwd nullable; never logged
 * @param iceOptions {@code a=ice-options} tokens
 * @param fingerprints DTLS fingerprints (RFC 8122)
 * @param setup DTLS role, nullable
 * @param msids {@code a=msid} lines (RFC 8830)
 * @param extmaps header extension mappings (RFC 8285)
 * @param codecs payload formats in {@code m=} line order, only those with an rtpmap, fmtp or
 *     rtcp-fb
 * @param ssrcGroups {@code a=ssrc-group} lines
 * @param ssrcs {@code a=ssrc} lines grouped by source
 * @param rids {@code a=rid} lines (RFC 8851)
 * @param simulcast {@code a=simulcast} (RFC 8853), nullable
 * @param sctpPort {@code a=sctp-port} (RFC 8841), nullable
 * @param maxMessageSize {@code a=max-message-size} (RFC 8841), nullable; 0 means unlimited
 * @param candidates {@code a=candidate} values without the {@code candidate:} prefix (RFC 8839)
 * @param endOfCandidates {@code a=end-of-candidates}
 * @param otherAttributes all other attributes, in input order
 */
public record MediaDescription(
    MediaKind kind,
    int port,
    String proto,
    List<String> formats,
    Connection connection,
    List<String> bandwidths,
    List<String> extraLines,
    String mid,
    Direction direction,
    boolean rtcpMux,
    boolean rtcpRsize,
    String iceUfrag,
    String icePwd,
    List<String> iceOptions,
    List<Fingerprint> fingerprints,
    Setup setup,
    List<Msid> msids,
    List<Extmap> extmaps,
    List<RtpCodec> codecs,
    List<SsrcGroup> ssrcGroups,
    List<Ssrc> ssrcs,
    List<Rid> rids,
    Simulcast simulcast,
    Integer sctpPort,
    Long maxMessageSize,
    List<String> candidates,
    boolean endOfCandidates,
    List<Attribute> otherAttributes) {

  public MediaDescription {
    formats = List.copyOf(formats);
    bandwidths = List.copyOf(bandwidths);
    extraLines = List.copyOf(extraLines);
    iceOptions = List.copyOf(iceOptions);
    fingerprints = List.copyOf(fingerprints);
    msids = List.copyOf(msids);
    extmaps = List.copyOf(extmaps);
    codecs = List.copyOf(codecs);
    ssrcGroups = List.copyOf(ssrcGroups);
    ssrcs = List.copyOf(ssrcs);
    rids = List.copyOf(rids);
    candidates = List.copyOf(candidates);
    otherAttributes = List.copyOf(otherAttributes);
  }

  /** The direction, sendrecv when the attribute is absent (RFC 8866 section 6.7). */
  public Direction effectiveDirection() {
    return direction == null ? Direction.SENDRECV : direction;
  }

  /** True for a rejected or disabled section (port zero, RFC 3264 section 6). */
  public boolean isRejected() {
    return port == 0 && !hasAttribute("bundle-only");
  }

  /** The payload format with this payload type, or null. */
  public RtpCodec codec(int payloadType) {
    for (RtpCodec c : codecs) {
      if (c.payloadType() == payloadType) {
        return c;
      }
    }
    return null;
  }

  /** True when an unknown attribute with this name is present. */
  public boolean hasAttribute(String name) {
    for (Attribute a : otherAttributes) {
      if (a.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** This section's SDP lines with the ICE password masked; safe to log. */
  @Override
  public String toString() {
    return SdpWriter.write(this, true);
  }

  /** A builder initialised from this section. */
  public Builder toBuilder() {
    Builder b = new Builder(kind, port, proto, formats);
    b.connection = connection;
    b.bandwidths.addAll(bandwidths);
    b.extraLines.addAll(extraLines);
    b.mid = mid;
    b.direction = direction;
    b.rtcpMux = rtcpMux;
    b.rtcpRsize = rtcpRsize;
    b.iceUfrag = iceUfrag;
    b.icePwd = icePwd;
    b.iceOptions.addAll(iceOptions);
    b.fingerprints.addAll(fingerprints);
    b.setup = setup;
    b.msids.addAll(msids);
    b.extmaps.addAll(extmaps);
    b.codecs.addAll(codecs);
    b.ssrcGroups.addAll(ssrcGroups);
    b.ssrcs.addAll(ssrcs);
    b.rids.addAll(rids);
    b.simulcast = simulcast;
    b.sctpPort = sctpPort;
    b.maxMessageSize = maxMessageSize;
    b.candidates.addAll(candidates);
    b.endOfCandidates = endOfCandidates;
    b.otherAttributes.addAll(otherAttributes);
    return b;
  }

  /** Starts a section with the given {@code m=} line. */
  public static Builder builder(MediaKind kind, int port, String proto, List<String> formats) {
    return new Builder(kind, port, proto, formats);
  }

  /** Mutable builder; lists are appended to directly. */
  public static final class Builder {
    final MediaKind kind;
    int port;
    final String proto;
    final List<String> formats;
    Connection connection;
    final List<String> bandwidths = new ArrayList<>();
    final List<String> extraLines = new ArrayList<>();
    String mid;
    Direction direction;
    boolean rtcpMux;
    boolean rtcpRsize;
    String iceUfrag;
    String icePwd;
    final List<String> iceOptions = new ArrayList<>();
    final List<Fingerprint> fingerprints = new ArrayList<>();
    Setup setup;
    final List<Msid> msids = new ArrayList<>();
    final List<Extmap> extmaps = new ArrayList<>();
    final List<RtpCodec> codecs = new ArrayList<>();
    final List<SsrcGroup> ssrcGroups = new ArrayList<>();
    final List<Ssrc> ssrcs = new ArrayList<>();
    final List<Rid> rids = new ArrayList<>();
    Simulcast simulcast;
    Integer sctpPort;
    Long maxMessageSize;
    final List<String> candidates = new ArrayList<>();
    boolean endOfCandidates;
    final List<Attribute> otherAttributes = new ArrayList<>();

    Builder(MediaKind kind, int port, String proto, List<String> formats) {
      this.kind = kind;
      this.port = port;
      this.proto = proto;
      this.formats = new ArrayList<>(formats);
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder connection(Connection value) {
      connection = value;
      return this;
    }

    public Builder mid(String value) {
      mid = value;
      return this;
    }

    public Builder direction(Direction value) {
      direction = value;
      return this;
    }

    public Builder rtcpMux(boolean value) {
      rtcpMux = value;
      return this;
    }

    public Builder rtcpRsize(boolean value) {
      rtcpRsize = value;
      return this;
    }

    /** Sets ICE credentials, fingerprint and DTLS role (RFC 8829 section 5.2.1). */
    public Builder transport(String ufrag, String pwd, Fingerprint fingerprint, Setup role) {
      iceUfrag = ufrag;
      icePwd = pwd;
      fingerprints.clear();
      fingerprints.add(fingerprint);
      setup = role;
      return this;
    }

    public Builder iceOption(String value) {
      iceOptions.add(value);
      return this;
    }

    public Builder msid(Msid value) {
      msids.add(value);
      return this;
    }

    public Builder extmap(Extmap value) {
      extmaps.add(value);
      return this;
    }

    public Builder codec(RtpCodec value) {
      codecs.add(value);
      return this;
    }

    public Builder ssrcGroup(SsrcGroup value) {
      ssrcGroups.add(value);
      return this;
    }

    public Builder ssrc(Ssrc value) {
      ssrcs.add(value);
      return this;
    }

    public Builder rid(Rid value) {
      rids.add(value);
      return this;
    }

    public Builder simulcast(Simulcast value) {
      simulcast = value;
      return this;
    }

    public Builder sctp(int port, long maxMessage) {
      sctpPort = port;
      maxMessageSize = maxMessage;
      return this;
    }

    /** {@code a=max-message-size} alone, for a data channel m-line without {@code a=sctp-port}. */
    public Builder maxMessageSize(long value) {
      maxMessageSize = value;
      return this;
    }

    public Builder candidates(List<String> values, boolean complete) {
      candidates.addAll(values);
      endOfCandidates = complete;
      return this;
    }

    public Builder attribute(Attribute value) {
      otherAttributes.add(value);
      return this;
    }

    public MediaDescription build() {
      return new MediaDescription(
          kind,
          port,
          proto,
          formats,
          connection,
          bandwidths,
          extraLines,
          mid,
          direction,
          rtcpMux,
          rtcpRsize,
          iceUfrag,
          icePwd,
          iceOptions,
          fingerprints,
          setup,
          msids,
          extmaps,
          codecs,
          ssrcGroups,
          ssrcs,
          rids,
          simulcast,
          sctpPort,
          maxMessageSize,
          candidates,
          endOfCandidates,
          otherAttributes);
    }
  }
}
