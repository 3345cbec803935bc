package eu.visio.media.dtls;

import eu.visio.media.srtp.SrtpProfile;
import java.time.Duration;
import java.util.List;

/**
 * Tunables of a {@link DtlsTransport}. {@link #DEFAULTS} suits production; tests shorten the
 * timers.
 *
 * @param srtpProfiles SRTP profiles to negotiate in use_srtp, most preferred first (RFC 5764
 *     §4.1.2): offered in this order as client, chosen by this order as server
 * @param handshakeTimeout give up if the handshake has not completed within this
 * @param initialRetransmit first retransmission timer; bctls doubles it per retry (RFC 6347
 *     §4.2.4.1 suggests 1 s)
 * @param mtu largest datagram we send (UDP payload); 1200 fits any path WebRTC uses, with room for
 *     TURN framing
 * @param queueCapacity inbound datagrams buffered before the handshake thread reads them; more are
 *     dropped and counted
 */
public record DtlsSettings(
    List<SrtpProfile> srtpProfiles,
    Duration handshakeTimeout,
    Duration initialRetransmit,
    int mtu,
    int queueCapacity) {

  /** GCM then AES-CM, 30 s handshake, 1 s first retransmission, 1200-byte MTU, 64 datagrams. */
  public static final DtlsSettings DEFAULTS =
      new DtlsSettings(
          List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES128_CM_HMAC_SHA1_80),
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          1200,
          64);

  public DtlsSettings {
    srtpProfiles = List.copyOf(srtpProfiles);
    if (srtpProfiles.isEmpty()) {
      throw new IllegalArgumentException("no SRTP profile");
    }
    if (handshakeTimeout.isNegative()
        || handshakeTimeout.isZero()
        || initialRetransmit.isNegative()
        || initialRetransmit.isZero()) {
      throw new IllegalArgumentException("timers must be positive");
    }
    // Below ~256 bytes a ClientHello cannot be fragmented sensibly; above 1500 is no real path.
    if (mtu < 256 || mtu > QueuedDatagramTransport.MAX_DATAGRAM) {
      throw new IllegalArgumentException("mtu " + mtu);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity " + queueCapacity);
    }
  }

  public DtlsSettings withSrtpProfiles(List<SrtpProfile> profiles) {
    return new DtlsSettings(profiles, handshakeTimeout, initialRetransmit, mtu, queueCapacity);
  }

  public DtlsSettings withTimers(Duration handshakeTimeout, Duration initialRetransmit) {
    return new DtlsSettings(srtpProfiles, handshakeTimeout, initialRetransmit, mtu, queueCapacity);
  }
}
