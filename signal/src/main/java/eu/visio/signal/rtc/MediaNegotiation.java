package eu.visio.signal.rtc;

import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.dtls.DtlsFingerprint;
import eu.visio.media.dtls.DtlsParseException;
import eu.visio.media.dtls.DtlsRole;
import eu.visio.media.ice.IceCandidate;
import eu.visio.media.ice.IceCredentials;
import eu.visio.media.sdp.CodecId;
import eu.visio.media.sdp.Fingerprint;
import eu.visio.media.sdp.LocalTransportParams;
import eu.visio.media.sdp.MediaKind;
import eu.visio.media.sdp.NegotiatedCodec;
import eu.visio.media.sdp.NegotiatedMedia;
import eu.visio.media.sdp.SdpAnswer;
import eu.visio.media.sdp.Setup;
import eu.visio.sfu.TrackInfo;
import eu.visio.sfu.TrackKind;
import java.util.ArrayList;
import java.util.List;

/** From an SDP negotiation to what the transport and the SFU need. */
public final class MediaNegotiation {
  private MediaNegotiation() {}

  /** Our side of every negotiation: ICE-lite with our candidates and certificate fingerprint. */
  public static LocalTransportParams localParams(
      IceCredentials ice, DtlsCertificate certificate, List<IceCandidate> candidates) {
    List<String> cands = new ArrayList<>();
    for (IceCandidate c : candidates) {
      cands.add(c.toSdpAttribute());
    }
    String[] fp = certificate.fingerprint().split(" ", 2);
    return LocalTransportParams.iceLite(
        ice.ufrag(), ice.pwd(), new Fingerprint(fp[0], fp[1]), cands);
  }

  /**
   * The strongest fingerprint the offer gives that we can check (RFC 8122 §5), or null when it
   * gives none we support.
   */
  public static DtlsFingerprint bestFingerprint(SdpAnswer.RemoteTransport remote) {
    DtlsFingerprint best = null;
    for (Fingerprint f : remote.fingerprints()) {
      try {
        DtlsFingerprint parsed = DtlsFingerprint.parse(f.algorithm() + " " + f.value());
        if (best == null || parsed.hashFunction().ordinal() > best.hashFunction().ordinal()) {
          best = parsed;
        }
      } catch (DtlsParseException e) {
        // an unsupported hash function: try the next one
      }
    }
    return best;
  }

  /** Our DTLS role from the a=setup negotiation: passive means we wait for the ClientHello. */
  public static DtlsRole dtlsRole(SdpAnswer answer) {
    return answer.localSetup() == Setup.PASSIVE ? DtlsRole.SERVER : DtlsRole.CLIENT;
  }

  /**
   * What the SFU needs to receive a negotiated m-line: by SSRC when the offer announces one
   * encoding's SSRCs, by rid (simulcast, or one rid without SSRC) otherwise, when the SSRCs, RTX
   * included, are learnt from the rid header extensions of the first packets.
   */
  public static TrackInfo publishedInfo(NegotiatedMedia m) {
    NegotiatedCodec c = m.primaryCodec();
    TrackKind kind = m.kind() == MediaKind.AUDIO ? TrackKind.AUDIO : TrackKind.VIDEO;
    boolean firOnly =
        c.rtcpFeedback().contains("ccm fir") && !c.rtcpFeedback().contains("nack pli");
    long ssrc = m.remoteSsrcs().isEmpty() ? 0 : m.remoteSsrcs().getFirst();
    for (long s : m.remoteSsrcs()) {
      if (!m.remoteRtxSsrcs().containsValue(s)) {
        ssrc = s;
        break;
      }
    }
    boolean byRid = (kind == TrackKind.VIDEO && m.remoteRids().size() > 1) || ssrc == 0;
    Long rtx = byRid ? null : m.remoteRtxSsrcs().get(ssrc);
    return new TrackInfo(
        kind,
        c.name(),
        c.clockRate(),
        c.payloadType(),
        byRid || rtx != null ? c.rtxPayloadType() : -1,
        byRid ? 0 : (int) ssrc,
        rtx == null ? 0 : (int) rtx.longValue(),
        m.headerExtensions(),
        m.mid(),
        byRid ? SimulcastOrder.lowestFirst(m.remoteRids()) : List.of(),
        firOnly,
        -1);
  }

  /** What the SFU needs to send on a negotiated m-line carrying one of our tracks. */
  public static TrackInfo sentInfo(NegotiatedMedia m) {
    NegotiatedCodec c = m.primaryCodec();
    var t = m.localTrack();
    return new TrackInfo(
        m.kind() == MediaKind.AUDIO ? TrackKind.AUDIO : TrackKind.VIDEO,
        c.name(),
        c.clockRate(),
        c.payloadType(),
        c.hasRtx() ? c.rtxPayloadType() : -1,
        (int) t.ssrc(),
        c.hasRtx() ? (int) t.rtxSsrc() : 0,
        m.headerExtensions(),
        m.mid());
  }

  /** The codec named {@code name} (an SDP encoding name), which the SFU can forward. */
  public static CodecId codecId(String name) {
    for (CodecId c : CodecId.values()) {
      if (c.encodingName().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalStateException("published codec " + name + " is not forwardable");
  }
}
