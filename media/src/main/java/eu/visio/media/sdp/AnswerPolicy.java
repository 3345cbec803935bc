package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this server wants from an offer.
 *
 * @param receive accept media the offerer sends (WHIP ingest); when false only send
 * @param sendTracks tracks to send, assigned in order to offered m-lines of the same kind that can
 *     receive (WHEP egress)
 * @param codecs codecs accepted for received media, preferred first; one is chosen per m-line
 * @param red accept audio RED (RFC 2198) wrapping the chosen Opus when offered
 * @param audioExtensions header extension URIs accepted on audio m-lines
 * @param videoExtensions header extension URIs accepted on video m-lines
 * @param dataChannel accept a {@code webrtc-datachannel} m-line (RFC 8841); reject it when false
 * @param sctpPort our {@code a=sctp-port}
 * @param maxMessageSize our {@code a=max-message-size}
 * @param tracksByMid tracks to send on given mids (a renegotiating session keeps each track on its
 *     m-line); a mid named here takes its track and never one of {@code sendTracks}
 * @param idleInactive answer an m-line we neither send nor receive on {@code inactive} instead of
 *     rejecting it, so the offerer may use its transceiver later (a receive slot of a LiveKit
 *     client waiting for a track)
 */
public record AnswerPolicy(
    boolean receive,
    List<LocalTrack> sendTracks,
    List<CodecId> codecs,
    boolean red,
    Set<String> audioExtensions,
    Set<String> videoExtensions,
    boolean dataChannel,
    int sctpPort,
    long maxMessageSize,
    Map<String, LocalTrack> tracksByMid,
    boolean idleInactive) {

  /** Default SCTP port of RFC 8841 section 5. */
  public static final int DEFAULT_SCTP_PORT = 5000;

  /** Default max message size advertised: 256 KiB, what Chrome and Firefox handle. */
  public static final long DEFAULT_MAX_MESSAGE_SIZE = 262_144;

  /** Default codec preference: Opus; VP8 first as every browser encodes it in hardware or fast. */
  public static final List<CodecId> DEFAULT_CODECS =
      List.of(CodecId.OPUS, CodecId.VP8, CodecId.H264, CodecId.VP9, CodecId.AV1);

  public AnswerPolicy {
    sendTracks = List.copyOf(sendTracks);
    codecs = List.copyOf(codecs);
    audioExtensions = Set.copyOf(audioExtensions);
    tracksByMid = Map.copyOf(tracksByMid);
    videoExtensions = Set.copyOf(videoExtensions);
    if (sctpPort < 1 || sctpPort > 65535 || maxMessageSize < 0) {
      throw new IllegalArgumentException("bad sctp parameters");
    }
  }

  /** WHIP ingest: receive everything offered, send nothing, no data channel. */
  public static AnswerPolicy whipIngest() {
    return new AnswerPolicy(
        true,
        List.of(),
        DEFAULT_CODECS,
        true,
        RtpExtensions.AUDIO,
        RtpExtensions.VIDEO,
        false,
        DEFAULT_SCTP_PORT,
        DEFAULT_MAX_MESSAGE_SIZE,
        Map.of(),
        false);
  }

  /** WHEP egress: send the given tracks, receive nothing, no data channel. */
  public static AnswerPolicy whepEgress(List<LocalTrack> tracks) {
    return new AnswerPolicy(
        false,
        tracks,
        DEFAULT_CODECS,
        true,
        RtpExtensions.AUDIO,
        RtpExtensions.VIDEO,
        false,
        DEFAULT_SCTP_PORT,
        DEFAULT_MAX_MESSAGE_SIZE,
        Map.of(),
        false);
  }

  /** This policy with data channels accepted (or rejected) and the given max message size. */
  public AnswerPolicy withDataChannel(boolean accept, long maxMessage) {
    return new AnswerPolicy(
        receive,
        sendTracks,
        codecs,
        red,
        audioExtensions,
        videoExtensions,
        accept,
        sctpPort,
        maxMessage,
        tracksByMid,
        idleInactive);
  }

  /** This policy with another codec preference. */
  public AnswerPolicy withCodecs(List<CodecId> preference) {
    return new AnswerPolicy(
        receive,
        sendTracks,
        preference,
        red,
        audioExtensions,
        videoExtensions,
        dataChannel,
        sctpPort,
        maxMessageSize,
        tracksByMid,
        idleInactive);
  }

  /** This policy with receiving enabled or disabled. */
  public AnswerPolicy withReceive(boolean value) {
    return new AnswerPolicy(
        value,
        sendTracks,
        codecs,
        red,
        audioExtensions,
        videoExtensions,
        dataChannel,
        sctpPort,
        maxMessageSize,
        tracksByMid,
        idleInactive);
  }

  /**
   * A renegotiating session's policy: receive what the offerer sends, send {@code tracksByMid} on
   * their m-lines, answer the other m-lines {@code inactive}, accept a data channel.
   */
  public static AnswerPolicy session(Map<String, LocalTrack> tracksByMid, boolean red) {
    return new AnswerPolicy(
        true,
        List.of(),
        DEFAULT_CODECS,
        red,
        RtpExtensions.AUDIO,
        RtpExtensions.VIDEO,
        true,
        DEFAULT_SCTP_PORT,
        DEFAULT_MAX_MESSAGE_SIZE,
        tracksByMid,
        true);
  }

  List<CodecId> codecsFor(MediaKind kind) {
    List<CodecId> out = new ArrayList<>();
    for (CodecId c : codecs) {
      if (c.kind() == kind) {
        out.add(c);
      }
    }
    return out;
  }

  Set<String> extensionsFor(MediaKind kind) {
    return kind == MediaKind.AUDIO ? audioExtensions : videoExtensions;
  }
}
