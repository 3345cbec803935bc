package eu.visio.signal.rtc;

import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.ice.IceCandidate;
import eu.visio.media.net.UdpMediaPort;
import java.util.List;

/**
 * The media side every peer connection uses: the shared UDP port and its workers, our DTLS
 * certificate, and the ICE candidates we announce.
 */
public record RtcMedia(
    UdpMediaPort port, DtlsCertificate certificate, List<IceCandidate> candidates) {
  public RtcMedia {
    candidates = List.copyOf(candidates);
  }
}
