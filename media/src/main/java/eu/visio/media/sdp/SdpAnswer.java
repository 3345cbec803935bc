package eu.visio.media.sdp;

import java.util.List;

/**
 * The result of {@link SdpAnswerer#answer}: the answer to send back and what it means.
 *
 * @param sdp the answer; {@code sdp.write()} is the HTTP response body
 * @param media accepted m-lines in offer order
 * @param rejectedMids mids answered with port 0
 * @param remote the offerer's ICE credentials and DTLS fingerprints (from the BUNDLE-tagged m-line)
 * @param localSetup our DTLS role: {@link Setup#PASSIVE} means we are the DTLS server
 */
public record SdpAnswer(
    SessionDescription sdp,
    List<NegotiatedMedia> media,
    List<String> rejectedMids,
    RemoteTransport remote,
    Setup localSetup) {

  public SdpAnswer {
    media = List.copyOf(media);
    rejectedMids = List.copyOf(rejectedMids);
  }

  /** The accepted m-line with this mid, or null. */
  public NegotiatedMedia media(String mid) {
    for (NegotiatedMedia m : media) {
      if (m.mid().equals(mid)) {
        return m;
      }
    }
    return null;
  }

  /**
   * The offerer's transport parameters, needed to run ICE checks and verify its DTLS certificate.
   *
   * @param iceUfrag remote username fragment
   * @param icePwd remote password; never logged
   * @param fingerprints remote certificate fingerprints
   */
  public record RemoteTransport(String iceUfrag, String icePwd, List<Fingerprint> fingerprints) {
    public RemoteTransport {
      fingerprints = List.copyOf(fingerprints);
    }

    @Override
    public String toString() {
      return "RemoteTransport[iceUfrag=" + iceUfrag + ", fingerprints=" + fingerprints + "]";
    }
  }
}
