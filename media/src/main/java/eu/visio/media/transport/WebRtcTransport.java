package eu.visio.media.transport;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.dtls.DtlsFingerprint;
import eu.visio.media.dtls.DtlsRole;
import eu.visio.media.dtls.DtlsTransport;
import eu.visio.media.ice.IceCheckOutcome;
import eu.visio.media.ice.IceCheckResult;
import eu.visio.media.ice.IceCredentials;
import eu.visio.media.ice.IceLiteAgent;
import eu.visio.media.net.DatagramSender;
import eu.visio.media.net.MediaWorker;
import eu.visio.media.net.UdpMediaPort;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import eu.visio.media.srtp.SrtpResult;
import eu.visio.media.srtp.SrtpSession;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport of one peer connection on the shared {@link UdpMediaPort}.
 *
 * <p>Inbound datagrams are demultiplexed per RFC 7983: STUN (first byte 0..3) goes to the {@link
 * IceLiteAgent}; DTLS (20..63) and SRTP/SRTCP (128..191) are accepted only from a source that
 * passed an ICE check; SRTP is authenticated by {@link SrtpSession} before anything else sees it.
 *
 * <p>Threading: everything except the DTLS handshake runs on the transport's {@link MediaWorker},
 * which owns it (its datagrams are delivered there whichever worker's socket received them, and it
 * sends on that worker's socket). The handshake runs on a virtual thread; its result is posted back
 * to the worker.
 */
public final class WebRtcTransport implements UdpMediaPort.Endpoint {
  private static final Logger log = LoggerFactory.getLogger(WebRtcTransport.class);

  /** A transport that never completes ICE and DTLS within this time is closed. */
  static final long CONNECT_TIMEOUT_SECONDS = 30;

  /** Receives decrypted media and lifecycle events, on the transport's worker. */
  public interface Listener {
    /** A decrypted RTP packet; {@code buf} is reused after the call. */
    void onRtp(byte[] buf, int off, int len);

    /** A decrypted RTCP compound packet; {@code buf} is reused after the call. */
    void onRtcp(byte[] buf, int off, int len);

    /** ICE and DTLS are up: media can be sent. */
    default void onConnected() {}

    /**
     * A DTLS application-data record (an SCTP packet, RFC 8261), on the worker; the array is the
     * listener's to keep.
     */
    default void onApplicationData(byte[] data) {}

    /** The transport closed (consent lost, DTLS failure, close_notify, or {@link #close}). */
    default void onClosed(String reason) {}
  }

  private final String id;
  private final MediaWorker worker;
  private final DropCounters drops;
  private final IceLiteAgent ice;
  private final DtlsTransport dtls;
  private final DtlsRole dtlsRole;
  private final Listener listener;
  private final List<String> ufrags = new ArrayList<>();
  private final byte[] stunResponse = new byte[256];
  private final ScheduledFuture<?> housekeeping;
  private final long createdNanos = System.nanoTime();

  // Event-loop state.
  private SrtpSession srtp;
  private boolean dtlsStarted;
  private boolean closed;
  private long rtpReceived;
  private long rtpSent;

  // Read by the DTLS virtual thread to address its records.
  private volatile InetSocketAddress selected;
  // Where media goes: the worker's sender to the selected address, null with it. Made once per
  // selection, so sendRtp and sendRtcp need no lookup of the path per packet.
  private volatile DatagramSender media;
  private volatile InetSocketAddress dtlsPeer;

  // When the last valid connectivity check arrived (System.nanoTime), or Long.MIN_VALUE: read by
  // the room's worker, which asks a client that reaches us by no path to add relays.
  private volatile long lastValidCheckNanos = Long.MIN_VALUE;

  /** Creates the transport on the port's worker 0 (the single-worker API). */
  public WebRtcTransport(
      String id,
      UdpMediaPort port,
      IceCredentials local,
      String remoteUfrag,
      DtlsCertificate certificate,
      DtlsFingerprint remoteFingerprint,
      DtlsRole dtlsRole,
      Listener listener) {
    this(
        id, port.worker(0), local, remoteUfrag, certificate, remoteFingerprint, dtlsRole, listener);
  }

  /**
   * Creates the transport and registers its ufrag on {@code worker}, which owns it from then on.
   * Call {@link #start} once the answer is sent.
   *
   * @param remoteUfrag the peer's ice-ufrag from its SDP
   * @param remoteFingerprint the peer's certificate fingerprint from its SDP
   * @param dtlsRole our DTLS role, from the a=setup negotiation
   */
  public WebRtcTransport(
      String id,
      MediaWorker worker,
      IceCredentials local,
      String remoteUfrag,
      DtlsCertificate certificate,
      DtlsFingerprint remoteFingerprint,
      DtlsRole dtlsRole,
      Listener listener) {
    this.id = id;
    this.worker = worker;
    this.drops = worker.drops();
    this.listener = listener;
    this.dtlsRole = dtlsRole;
    this.ice = new IceLiteAgent(local, remoteUfrag, new IceEvents());
    this.dtls =
        new DtlsTransport(
            dtlsRole, certificate, remoteFingerprint, this::sendDtls, new DtlsEvents());
    this.housekeeping = worker.scheduleAtFixedRate(this::housekeeping, 1, TimeUnit.SECONDS);
    ufrags.add(local.ufrag());
    worker.registerUfrag(local.ufrag(), this);
  }

  /** Starts DTLS when we are its server (it waits for the ClientHello); a client starts on ICE. */
  public void start() {
    worker.execute(
        () -> {
          if (dtlsRole == DtlsRole.SERVER) {
            startDtls();
          }
        });
  }

  public String id() {
    return id;
  }

  /** The worker that owns this transport. */
  public MediaWorker worker() {
    return worker;
  }

  /** True once DTLS produced SRTP keys and until close. Owner worker only. */
  public boolean isConnected() {
    return srtp != null && !closed;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** The negotiated SRTP profile, or null before DTLS completes. Owner worker only. */
  public SrtpProfile srtpProfile() {
    return srtp == null ? null : srtp.profile();
  }

  public InetSocketAddress selectedAddress() {
    return selected;
  }

  /**
   * When the last valid ICE connectivity check (or consent check) arrived, on the {@link
   * System#nanoTime} clock; {@link Long#MIN_VALUE} if none has yet. A peer whose checks never
   * arrive reaches us by none of the candidates we offered.
   */
  public long lastValidCheckNanos() {
    return lastValidCheckNanos;
  }

  public long rtpReceived() {
    return rtpReceived;
  }

  public long rtpSent() {
    return rtpSent;
  }

  /** ICE restart: new local credentials, checks with the old ones keep working until then. */
  public void restartIce(IceCredentials newLocal, String newRemoteUfrag) {
    worker.execute(
        () -> {
          ice.restart(newLocal, newRemoteUfrag);
          ufrags.add(newLocal.ufrag());
          worker.registerUfrag(newLocal.ufrag(), this);
        });
  }

  @Override
  public void onDatagram(byte[] buf, int off, int len, InetSocketAddress remote) {
    if (closed) {
      return;
    }
    int first = buf[off] & 0xFF;
    if (first < 4) {
      onStun(buf, off, len, remote);
      return;
    }
    if (!ice.isValidSource(remote)) {
      drops.drop(DropReason.UNKNOWN_SOURCE);
      return;
    }
    if (first >= 20 && first < 64) {
      dtlsPeer = remote;
      dtls.receive(buf, off, len);
    } else if (first >= 128 && first < 192) {
      onSrtp(buf, off, len);
    } else {
      drops.drop(DropReason.UNKNOWN_PROTOCOL);
    }
  }

  private void onStun(byte[] buf, int off, int len, InetSocketAddress remote) {
    long now = System.nanoTime();
    IceCheckResult result =
        ice.handle(buf, off, len, remote, now, stunResponse, 0, stunResponse.length);
    IceCheckOutcome outcome = result.outcome();
    if (outcome.dropReason() != null) {
      drops.drop(outcome.dropReason());
    }
    if (log.isDebugEnabled() && !outcome.isValid() && outcome != IceCheckOutcome.INDICATION) {
      log.debug("transport={} STUN from {} refused: {}", id, remote, outcome);
    }
    if (result.hasResponse()) {
      worker.send(stunResponse, 0, result.responseLength(), remote);
    }
    if (outcome == IceCheckOutcome.SUCCESS || outcome == IceCheckOutcome.NOMINATED) {
      lastValidCheckNanos = now;
      worker.bindRemote(remote, this);
      if (dtlsRole == DtlsRole.CLIENT && !dtlsStarted) {
        dtlsPeer = remote;
        startDtls();
      }
    }
  }

  private void onSrtp(byte[] buf, int off, int len) {
    SrtpSession session = srtp;
    if (session == null) {
      drops.drop(DropReason.NO_SRTP_KEYS);
      return;
    }
    if (RtpPacket.isRtcp(buf, off, len)) {
      int n = session.unprotectRtcp(buf, off, len);
      if (n < 0) {
        drops.drop(SrtpResult.dropReason(n, true));
        return;
      }
      listener.onRtcp(buf, off, n);
    } else {
      int n = session.unprotectRtp(buf, off, len);
      if (n < 0) {
        drops.drop(SrtpResult.dropReason(n, false));
        return;
      }
      rtpReceived++;
      listener.onRtp(buf, off, n);
    }
  }

  /**
   * Encrypts an RTP packet in place and sends it. {@code buf} needs {@link
   * SrtpSession#MAX_RTP_OVERHEAD} spare bytes after the packet. Owner worker only.
   *
   * @return false when the packet was not sent (not connected, or SRTP refused it)
   */
  public boolean sendRtp(byte[] buf, int off, int len) {
    DatagramSender to = media;
    SrtpSession session = srtp;
    if (session == null || to == null || closed) {
      return false;
    }
    int n = session.protectRtp(buf, off, len);
    if (n < 0) {
      return false;
    }
    rtpSent++;
    to.send(buf, off, n);
    return true;
  }

  /**
   * Encrypts an RTCP compound packet in place and sends it. {@code buf} needs {@link
   * SrtpSession#MAX_RTCP_OVERHEAD} spare bytes after the packet. Owner worker only.
   */
  /**
   * Sends one DTLS application-data record (an SCTP packet); false before DTLS is up or when it is
   * larger than a record carries ({@link #applicationDataLimit()}).
   */
  public boolean sendApplicationData(byte[] buf, int off, int len) {
    if (len > dtls.applicationDataLimit()) {
      return false;
    }
    return dtls.sendApplicationData(buf, off, len);
  }

  /** Largest application-data record, bytes; 0 before DTLS is up. */
  public int applicationDataLimit() {
    return dtls.applicationDataLimit();
  }

  public boolean sendRtcp(byte[] buf, int off, int len) {
    DatagramSender to = media;
    SrtpSession session = srtp;
    if (session == null || to == null || closed) {
      return false;
    }
    int n = session.protectRtcp(buf, off, len);
    if (n < 0) {
      return false;
    }
    to.send(buf, off, n);
    return true;
  }

  /** Closes the transport (close_notify to the peer); idempotent, safe from any thread. */
  public void close(String reason) {
    if (worker.inEventLoop()) {
      closeOnLoop(reason);
    } else {
      worker.execute(() -> closeOnLoop(reason));
    }
  }

  private void closeOnLoop(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    housekeeping.cancel(false);
    dtls.close();
    for (String ufrag : ufrags) {
      worker.unregisterUfrag(ufrag, this);
    }
    worker.unbindAll(this);
    srtp = null;
    log.debug("transport={} closed: {}", id, reason);
    listener.onClosed(reason);
  }

  private void startDtls() {
    // A transport closed before its start task ran (a participant who left at once) starts nothing.
    if (!dtlsStarted && !closed) {
      dtlsStarted = true;
      dtls.start();
    }
  }

  /** DTLS records go to the nominated path, or before nomination to where the peer's came from. */
  private void sendDtls(byte[] buf, int off, int len) {
    InetSocketAddress to = selected;
    if (to == null) {
      to = dtlsPeer;
    }
    if (to != null) {
      worker.send(buf, off, len, to);
    }
  }

  private void housekeeping() {
    long now = System.nanoTime();
    for (InetSocketAddress gone : ice.expireStale(now)) {
      worker.unbindRemote(gone, this);
    }
    if (ice.validAddresses().isEmpty()
        && now - createdNanos > TimeUnit.SECONDS.toNanos(CONNECT_TIMEOUT_SECONDS)) {
      closeOnLoop(srtp == null ? "ICE and DTLS did not connect in time" : "ICE consent expired");
    } else if (srtp == null
        && now - createdNanos > TimeUnit.SECONDS.toNanos(CONNECT_TIMEOUT_SECONDS)) {
      closeOnLoop("DTLS did not complete in time");
    }
  }

  private final class IceEvents implements IceLiteAgent.Listener {
    @Override
    public void onSelected(InetSocketAddress address) {
      if (!address.equals(selected)) {
        log.debug("transport={} ICE selected {}", id, address);
      }
      media = worker.senderTo(address);
      selected = address;
    }

    @Override
    public void onDisconnected() {
      log.debug("transport={} ICE consent lost on the selected path", id);
      selected = null;
      media = null;
    }
  }

  private final class DtlsEvents implements DtlsTransport.Listener {
    @Override
    public void onConnected(SrtpKeyingMaterial keys, SrtpProfile profile) {
      worker.execute(
          () -> {
            if (closed) {
              return;
            }
            srtp = new SrtpSession(keys, dtlsRole == DtlsRole.CLIENT);
            log.debug("transport={} DTLS connected, SRTP {}", id, profile);
            listener.onConnected();
          });
    }

    @Override
    public void onApplicationData(byte[] buf, int off, int len) {
      byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
      worker.execute(
          () -> {
            if (!closed) {
              listener.onApplicationData(copy);
            }
          });
    }

    @Override
    public void onFailed(String reason) {
      close("DTLS failed: " + reason);
    }

    @Override
    public void onClosed() {
      close("DTLS close_notify from peer");
    }
  }
}
