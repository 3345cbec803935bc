package eu.visio.loadtest.livekit;

import java.util.List;

/**
 * The SDP offer a bot makes on its one peer connection, shaped like a browser's but with only the
 * codecs bots use (Opus; VP8 with RTX): its sending sections first (audio mid 0, simulcast video
 * mid 1 with rids q, h, f) and then receive-only slots for the tracks it will be sent.
 */
public final class OfferWriter {
  private OfferWriter() {}

  /**
   * What to offer.
   *
   * @param ufrag ICE ufrag
   * @param pwd ICE password
   * @param fingerprint DTLS fingerprint, "sha-256 AB:CD:..."
   * @param sendAudioSsrc SSRC of the audio track sent, or 0 for none
   * @param sendVideo whether a simulcast video track is sent
   * @param streamId msid stream id of the sent tracks
   * @param audioTrackId msid track id of the audio track (the AddTrackRequest's cid)
   * @param videoTrackId msid track id of the video track
   * @param layers simulcast layers sent (1-3)
   * @param recvAudio audio slots to receive in
   * @param recvVideo video slots to receive in
   */
  public record Offer(
      String ufrag,
      String pwd,
      String fingerprint,
      int sendAudioSsrc,
      boolean sendVideo,
      String streamId,
      String audioTrackId,
      String videoTrackId,
      int layers,
      int recvAudio,
      int recvVideo) {}

  static final List<String> RIDS = List.of("q", "h", "f");

  public static String write(Offer o, long sessionVersion) {
    StringBuilder mids = new StringBuilder();
    StringBuilder media = new StringBuilder();
    int mid = 0;
    if (o.sendAudioSsrc() != 0) {
      audio(media, o, mid, true);
      mids.append(' ').append(mid);
    }
    mid = 1;
    if (o.sendVideo()) {
      video(media, o, mid, true);
      mids.append(' ').append(mid);
    }
    mid = 2;
    // Slots alternate audio and video while both remain, as a client adds them pairwise.
    int a = o.recvAudio();
    int v = o.recvVideo();
    while (a > 0 || v > 0) {
      if (a > 0) {
        audio(media, o, mid, false);
        mids.append(' ').append(mid++);
        a--;
      }
      if (v > 0) {
        video(media, o, mid, false);
        mids.append(' ').append(mid++);
        v--;
      }
    }
    return "v=0\r\n"
        + "o=- 4611731400430051336 "
        + sessionVersion
        + " IN IP4 127.0.0.1\r\n"
        + "s=-\r\n"
        + "t=0 0\r\n"
        + "a=group:BUNDLE"
        + mids
        + "\r\n"
        + "a=extmap-allow-mixed\r\n"
        + "a=msid-semantic: WMS\r\n"
        + media;
  }

  private static void transport(StringBuilder s, Offer o, int mid) {
    s.append("c=IN IP4 0.0.0.0\r\n")
        .append("a=rtcp:9 IN IP4 0.0.0.0\r\n")
        .append("a=ice-ufrag:")
        .append(o.ufrag())
        .append("\r\na=ice-pwd:")
        .append(o.pwd())
        .append("\r\na=ice-options:trickle\r\n")
        .append("a=fingerprint:")
        .append(o.fingerprint())
        .append("\r\na=setup:actpass\r\n")
        .append("a=mid:")
        .append(mid)
        .append("\r\n");
  }

  private static void audio(StringBuilder s, Offer o, int mid, boolean send) {
    s.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
    transport(s, o, mid);
    s.append("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n")
        .append(
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n")
        .append("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n")
        .append(send ? "a=sendonly\r\n" : "a=recvonly\r\n");
    if (send) {
      s.append("a=msid:").append(o.streamId()).append(' ').append(o.audioTrackId()).append("\r\n");
    }
    s.append("a=rtcp-mux\r\na=rtcp-rsize\r\n")
        .append("a=rtpmap:111 opus/48000/2\r\n")
        .append("a=rtcp-fb:111 transport-cc\r\n")
        .append("a=fmtp:111 minptime=10;useinbandfec=1\r\n");
    if (send) {
      long ssrc = o.sendAudioSsrc() & 0xFFFFFFFFL;
      s.append("a=ssrc:").append(ssrc).append(" cname:bot\r\n");
      s.append("a=ssrc:")
          .append(ssrc)
          .append(" msid:")
          .append(o.streamId())
          .append(' ')
          .append(o.audioTrackId())
          .append("\r\n");
    }
  }

  private static void video(StringBuilder s, Offer o, int mid, boolean send) {
    s.append("m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n");
    transport(s, o, mid);
    s.append(
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n")
        .append("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n")
        .append("a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n")
        .append("a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id\r\n")
        .append(send ? "a=sendonly\r\n" : "a=recvonly\r\n");
    if (send) {
      s.append("a=msid:").append(o.streamId()).append(' ').append(o.videoTrackId()).append("\r\n");
    }
    s.append("a=rtcp-mux\r\na=rtcp-rsize\r\n")
        .append("a=rtpmap:96 VP8/90000\r\n")
        .append("a=rtcp-fb:96 goog-remb\r\n")
        .append("a=rtcp-fb:96 transport-cc\r\n")
        .append("a=rtcp-fb:96 ccm fir\r\n")
        .append("a=rtcp-fb:96 nack\r\n")
        .append("a=rtcp-fb:96 nack pli\r\n")
        .append("a=rtpmap:97 rtx/90000\r\n")
        .append("a=fmtp:97 apt=96\r\n");
    if (send) {
      List<String> rids = RIDS.subList(0, o.layers());
      for (String rid : rids) {
        s.append("a=rid:").append(rid).append(" send\r\n");
      }
      s.append("a=simulcast:send ").append(String.join(";", rids)).append("\r\n");
    }
  }
}
