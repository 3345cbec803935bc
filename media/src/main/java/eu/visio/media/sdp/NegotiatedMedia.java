package eu.visio.media.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was agreed for one accepted m-line, for the SFU to route and rewrite packets.
 *
 * @param mid the m-line's mid, the key the RTP {@code sdes:mid} extension carries
 * @param kind audio, video or application
 * @param direction our direction in the answer ({@code recvonly} when we only receive)
 * @param codecs agreed codecs, primary first (empty for application)
 * @param headerExtensions extension id by URI, as the offerer numbered them
 * @param remoteSsrcs SSRCs the offerer announced, media and RTX, in order
 * @param remoteRtxSsrcs media SSRC to RTX SSRC from {@code ssrc-group:FID}
 * @param remoteRids simulcast rids we agreed to receive, highest priority first
 * @param remoteMsid the offerer's msid, or null
 * @param remoteCname the offerer's CNAME from its ssrc lines, or null
 * @param localTrack the track we send on this m-line, or null
 * @param rtcpRsize reduced-size RTCP agreed (RFC 5506)
 * @param sctp SCTP parameters for a data channel m-line, or null
 */
public record NegotiatedMedia(
    String mid,
    MediaKind kind,
    Direction direction,
    List<NegotiatedCodec> codecs,
    Map<String, Integer> headerExtensions,
    List<Long> remoteSsrcs,
    Map<Long, Long> remoteRtxSsrcs,
    List<String> remoteRids,
    Msid remoteMsid,
    String remoteCname,
    LocalTrack localTrack,
    boolean rtcpRsize,
    SctpParams sctp) {

  public NegotiatedMedia {
    codecs = List.copyOf(codecs);
    headerExtensions = Collections.unmodifiableMap(new LinkedHashMap<>(headerExtensions));
    remoteSsrcs = List.copyOf(remoteSsrcs);
    remoteRtxSsrcs = Collections.unmodifiableMap(new LinkedHashMap<>(remoteRtxSsrcs));
    remoteRids = List.copyOf(remoteRids);
  }

  /**
   * Data channel parameters (RFC 8841).
   *
   * @param localPort our sctp-port
   * @param remotePort the offerer's sctp-port (5000 when absent)
   * @param remoteMaxMessageSize the offerer's max-message-size (65536 when absent, 0 = unlimited)
   */
  public record SctpParams(int localPort, int remotePort, long remoteMaxMessageSize) {}

  /** An accepted data channel m-line (RFC 8841); absent remote values take the RFC's defaults. */
  static NegotiatedMedia dataChannel(
      String mid, int localPort, Integer remotePort, Long remoteMaxMessageSize) {
    return new NegotiatedMedia(
        mid,
        MediaKind.APPLICATION,
        Direction.SENDRECV,
        List.of(),
        Map.of(),
        List.of(),
        Map.of(),
        List.of(),
        null,
        null,
        null,
        false,
        new SctpParams(
            localPort,
            remotePort == null ? AnswerPolicy.DEFAULT_SCTP_PORT : remotePort,
            // RFC 8841 section 6.1: absent means 64 KiB.
            remoteMaxMessageSize == null ? 65_536 : remoteMaxMessageSize));
  }

  /** The header extension id for a URI, or 0 when it was not agreed. */
  public int extensionId(String uri) {
    Integer id = headerExtensions.get(uri);
    return id == null ? 0 : id;
  }

  /** The primary codec, or null for application m-lines. */
  public NegotiatedCodec primaryCodec() {
    return codecs.isEmpty() ? null : codecs.getFirst();
  }
}
