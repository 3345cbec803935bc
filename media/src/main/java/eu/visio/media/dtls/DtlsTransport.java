package eu.visio.media.dtls;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.net.DatagramSender;
import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS association of one peer connection (RFC 8842): runs the handshake, hands the SRTP keys
 * to the {@link Listener}, then carries application data (SCTP, RFC 8261) until closed.
 *
 * <p>Threading: {@link #receive}, {@link #start}, {@link #close} and {@link #sendApplicationData}
 * never block and may be called from any thread (typically the packet I/O thread). bctls' blocking
 * handshake and record reader run on one virtual thread per transport, fed by a bounded queue; all
 * {@link Listener} callbacks come from that thread, in order, and should return quickly.
 *
 * <p>No HelloVerifyRequest cookie ({@code DTLSVerifier}, RFC 6347 §4.2.1): it protects servers from
 * spoofed-source ClientHellos, but DTLS records only reach us from an address that ICE has already
 * validated with a STUN check authenticated by the SDP ice-pwd, and skipping it saves a round trip
 * on every call setup.
 */
public final class DtlsTransport {
  private static final Logger LOG = LoggerFactory.getLogger(DtlsTransport.class);

  /** bctls' crypto is stateless apart from its SecureRandom, which is thread-safe. */
  private static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());

  /** Upper bound on one blocking read after the handshake (close wakes it sooner). */
  private static final int READ_WAIT_MILLIS = 1000;

  /** Events of a transport, delivered on its own virtual thread. */
  public interface Listener {
    /** Handshake done and the peer authenticated: SRTP can start with these keys. */
    void onConnected(SrtpKeyingMaterial keys, SrtpProfile profile);

    /** Handshake or connection failed (timeout, alert, bad fingerprint); terminal. */
    void onFailed(String reason);

    /** The peer sent close_notify after the handshake; terminal. */
    default void onClosed() {}

    /** One decrypted application-data record; the buffer is reused after the call returns. */
    default void onApplicationData(byte[] buf, int off, int len) {}
  }

  private enum State {
    NEW,
    HANDSHAKING,
    CONNECTED,
    CLOSED,
    FAILED
  }

  private final DtlsRole role;
  private final DtlsSrtpContext srtp;
  private final QueuedDatagramTransport datagrams;
  private final Listener listener;
  private final DropCounters drops = new DropCounters();
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private volatile DTLSTransport dtls;
  private volatile int sendLimit;

  public DtlsTransport(
      DtlsRole role,
      DtlsCertificate certificate,
      DtlsFingerprint remoteFingerprint,
      DatagramSender sender,
      Listener listener) {
    this(role, certificate, remoteFingerprint, sender, listener, DtlsSettings.DEFAULTS);
  }

  public DtlsTransport(
      DtlsRole role,
      DtlsCertificate certificate,
      DtlsFingerprint remoteFingerprint,
      DatagramSender sender,
      Listener listener,
      DtlsSettings settings) {
    if (role == null
        || certificate == null
        || remoteFingerprint == null
        || sender == null
        || listener == null
        || settings == null) {
      throw new IllegalArgumentException("null argument");
    }
    this.role = role;
    this.listener = listener;
    this.srtp = new DtlsSrtpContext(CRYPTO, certificate, remoteFingerprint, settings);
    this.datagrams = new QueuedDatagramTransport(sender, settings.mtu(), settings.queueCapacity());
  }

  public DtlsRole role() {
    return role;
  }

  /**
   * Drops of inbound datagrams: QUEUE_FULL, MALFORMED_DTLS, DTLS_TOO_LARGE, DTLS_NOT_ACCEPTED
   * (after the end).
   */
  public DropCounters drops() {
    return drops;
  }

  public boolean isConnected() {
    return state.get() == State.CONNECTED;
  }

  /**
   * Starts the handshake on a new virtual thread and returns at once. Datagrams received before
   * this are kept (up to the queue capacity), so a ClientHello that races the answer is not lost.
   */
  public void start() {
    if (!state.compareAndSet(State.NEW, State.HANDSHAKING)) {
      throw new IllegalStateException("already started or closed");
    }
    Thread.ofVirtual().name("dtls-" + role.name().toLowerCase(Locale.ROOT)).start(this::run);
  }

  /**
   * Hands over one inbound DTLS datagram (first byte 20..63, see {@link DtlsPacket#isDtls}). Copies
   * it; never blocks. Dropped and counted if the queue is full or the transport has ended.
   */
  public void receive(byte[] buf, int off, int len) {
    State s = state.get();
    if (s == State.CLOSED || s == State.FAILED) {
      drops.drop(DropReason.DTLS_NOT_ACCEPTED);
      return;
    }
    if (!DtlsPacket.wellFormed(buf, off, len, srtp.minProtectedRecord())) {
      drops.drop(DropReason.MALFORMED_DTLS);
      return;
    }
    switch (datagrams.offer(buf, off, len)) {
      case QUEUED -> {}
      case FULL -> drops.drop(DropReason.QUEUE_FULL);
      case TOO_LARGE -> drops.drop(DropReason.DTLS_TOO_LARGE);
      case CLOSED -> drops.drop(DropReason.DTLS_NOT_ACCEPTED);
    }
  }

  /** Largest application-data payload one record carries (MTU less record overhead); 0 before. */
  public int applicationDataLimit() {
    return sendLimit;
  }

  /**
   * Encrypts and sends one application-data record. Returns false when not connected (before the
   * handshake completes or after the end) or when the send fails.
   *
   * @throws IllegalArgumentException if {@code len} exceeds {@link #applicationDataLimit()}
   */
  public boolean sendApplicationData(byte[] buf, int off, int len) {
    DTLSTransport t = dtls;
    if (t == null || state.get() != State.CONNECTED) {
      return false;
    }
    if (len > sendLimit) {
      // bctls would answer an oversized record by failing the whole connection.
      throw new IllegalArgumentException("record of " + len + " > limit " + sendLimit);
    }
    try {
      t.send(buf, off, len);
      return true;
    } catch (IOException e) {
      LOG.debug("DTLS application data send failed", e);
      return false;
    }
  }

  /**
   * Sends close_notify if connected and stops the thread. Idempotent; no listener callback follows
   * a local close.
   */
  public void close() {
    State previous;
    do {
      previous = state.get();
      if (previous == State.CLOSED || previous == State.FAILED) {
        return;
      }
    } while (!state.compareAndSet(previous, State.CLOSED));
    DTLSTransport t = dtls;
    if (t != null) {
      closeQuietly(t); // sends close_notify (RFC 5246 §7.2.1), then closes the queue
    }
    datagrams.close();
  }

  private void run() {
    try {
      DTLSTransport t;
      if (role == DtlsRole.CLIENT) {
        t = new DTLSClientProtocol().connect(new DtlsSrtpClient(srtp), datagrams);
      } else {
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        protocol.setVerifyRequests(false); // see the class comment on HelloVerifyRequest
        t = protocol.accept(new DtlsSrtpServer(srtp), datagrams);
      }
      sendLimit = t.getSendLimit();
      dtls = t;
      if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) {
        closeQuietly(t); // closed while the last flight was in progress
        return;
      }
      SrtpKeyingMaterial keys = srtp.keys();
      LOG.debug("DTLS {} connected, {}", role, keys.profile());
      notify(() -> listener.onConnected(keys, keys.profile()));
      readLoop(t);
    } catch (IOException | RuntimeException e) {
      end(e);
    }
  }

  /** Delivers application data until the transport ends, which surfaces as an IOException. */
  private void readLoop(DTLSTransport t) throws IOException {
    byte[] buf = new byte[t.getReceiveLimit()];
    while (true) {
      int n = t.receive(buf, 0, buf.length, READ_WAIT_MILLIS);
      if (n > 0) {
        try {
          listener.onApplicationData(buf, 0, n);
        } catch (RuntimeException e) {
          LOG.warn("DTLS listener threw", e);
        }
      }
    }
  }

  /** Terminal transition on the transport thread; silent if {@link #close()} got there first. */
  private void end(Exception cause) {
    State previous;
    boolean peerClosed;
    do {
      previous = state.get();
      if (previous == State.CLOSED || previous == State.FAILED) {
        LOG.debug("DTLS {} stopped after local close", role);
        return;
      }
      peerClosed = previous == State.CONNECTED && srtp.closeNotifyReceived();
    } while (!state.compareAndSet(previous, peerClosed ? State.CLOSED : State.FAILED));
    datagrams.close();
    if (peerClosed) {
      LOG.debug("DTLS {} closed by peer", role);
      notify(listener::onClosed);
    } else {
      String reason = reason(previous, cause);
      LOG.info("DTLS {} failed: {}", role, reason);
      notify(() -> listener.onFailed(reason));
    }
  }

  private String reason(State previous, Exception cause) {
    String phase = previous == State.CONNECTED ? "connection" : "handshake";
    return switch (cause) {
      case TlsTimeoutException e -> phase + " timed out";
      case TlsFatalAlertReceived e ->
          phase + " aborted by peer: " + AlertDescription.getText(e.getAlertDescription());
      // Raised by us; the message names the alert and why ("bad_certificate(42); ...").
      case TlsFatalAlert e -> phase + " failed: " + e.getMessage();
      default -> {
        String alert = srtp.lastAlert();
        yield phase + " failed: " + (alert != null ? alert : cause.toString());
      }
    };
  }

  private void notify(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("DTLS listener threw", e);
    }
  }

  private static void closeQuietly(DTLSTransport t) {
    try {
      t.close();
    } catch (IOException e) {
      LOG.debug("DTLS close failed", e);
    }
  }
}
