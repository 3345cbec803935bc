package eu.visio.signal.livekit;

import eu.visio.media.transport.WebRtcTransport;
import eu.visio.sfu.RtpSink;

/**
 * A participant's peer connection as the SFU sees it: a sink that sends through the transport once
 * the first negotiation created it (and drops until then). Confined to the room's worker.
 */
abstract class PeerConnection implements RtpSink {
  protected final String id;
  protected final eu.visio.signal.rtc.RtcMedia media;
  protected final eu.visio.media.net.MediaWorker worker;
  protected final WebRtcTransport.Listener listener;
  protected eu.visio.media.ice.IceCredentials ice = eu.visio.media.ice.IceCredentials.generate();
  protected String remoteUfrag;

  /** Null until the first offer or answer is through. */
  protected WebRtcTransport transport;

  /** When ICE last (re)started: the transport made, or new credentials on both sides. */
  private long iceStartedAt;

  PeerConnection(
      String id,
      eu.visio.signal.rtc.RtcMedia media,
      eu.visio.media.net.MediaWorker worker,
      WebRtcTransport.Listener listener) {
    this.id = id;
    this.media = media;
    this.worker = worker;
    this.listener = listener;
  }

  /**
   * The first negotiation is through: the transport to the peer {@code answer} describes (its ICE
   * ufrag, the strongest fingerprint it gives, our DTLS role, its SCTP port).
   */
  protected void createTransport(eu.visio.media.sdp.SdpAnswer answer) throws SignalException {
    eu.visio.media.dtls.DtlsFingerprint fp =
        eu.visio.signal.rtc.MediaNegotiation.bestFingerprint(answer.remote());
    if (fp == null) {
      throw new SignalException("the peer's SDP has no usable a=fingerprint");
    }
    remoteUfrag = answer.remote().iceUfrag();
    eu.visio.media.dtls.DtlsRole role = eu.visio.signal.rtc.MediaNegotiation.dtlsRole(answer);
    dtlsClient = role == eu.visio.media.dtls.DtlsRole.CLIENT;
    negotiatedSctp(answer);
    transport =
        new WebRtcTransport(id, worker, ice, remoteUfrag, media.certificate(), fp, role, listener);
    iceStartedAt = System.nanoTime();
  }

  /** ICE restart (RFC 8839 §4.4.1.1.1): our new credentials and the peer's. */
  protected void restartTransportIce(eu.visio.media.ice.IceCredentials fresh, String ufrag) {
    transport.restartIce(fresh, ufrag);
    iceStartedAt = System.nanoTime();
  }

  /**
   * Whether ICE (re)started more than {@code waitNanos} ago and no valid connectivity check has
   * arrived since: the peer reaches none of the candidates we offered.
   */
  boolean unreachedFor(long nowNanos, long waitNanos) {
    if (transport == null || transport.isClosed() || nowNanos - iceStartedAt <= waitNanos) {
      return false;
    }
    long last = transport.lastValidCheckNanos();
    return last == Long.MIN_VALUE || last - iceStartedAt < 0;
  }

  /** The peer's {@code a=sctp-port} (RFC 8841), and whether we are the DTLS client. */
  protected int remoteSctpPort = 5000;

  /** The peer's a=max-message-size (RFC 8841: 64 KiB when absent; 0: unlimited). */
  protected long remoteMaxMessageSize = 65_536;

  protected boolean dtlsClient;

  int remoteSctpPort() {
    return remoteSctpPort;
  }

  long remoteMaxMessageSize() {
    return remoteMaxMessageSize;
  }

  boolean dtlsClient() {
    return dtlsClient;
  }

  /** Sends an SCTP packet over DTLS. */
  boolean sendApplicationData(byte[] packet) {
    return transport != null && transport.sendApplicationData(packet, 0, packet.length);
  }

  /** The largest SCTP packet one DTLS record carries; 0 before DTLS is up. */
  int applicationDataLimit() {
    return transport == null ? 0 : transport.applicationDataLimit();
  }

  /** Notes the data channel parameters a negotiation agreed. */
  protected void negotiatedSctp(eu.visio.media.sdp.SdpAnswer answer) {
    for (eu.visio.media.sdp.NegotiatedMedia m : answer.media()) {
      if (m.sctp() != null) {
        remoteSctpPort = m.sctp().remotePort();
        remoteMaxMessageSize = m.sctp().remoteMaxMessageSize();
      }
    }
  }

  boolean connected() {
    return transport != null && transport.isConnected();
  }

  boolean closed() {
    return transport != null && transport.isClosed();
  }

  @Override
  public boolean sendRtp(byte[] buf, int off, int len) {
    return transport != null && transport.sendRtp(buf, off, len);
  }

  @Override
  public boolean sendRtcp(byte[] buf, int off, int len) {
    return transport != null && transport.sendRtcp(buf, off, len);
  }

  void close(String reason) {
    if (transport != null) {
      transport.close(reason);
    }
  }
}
