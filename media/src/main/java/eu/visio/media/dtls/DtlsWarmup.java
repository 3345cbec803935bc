package eu.visio.media.dtls;

import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import eu.visio.media.srtp.SrtpSession;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One DTLS-SRTP handshake in memory, client against server, then a few SRTP and SRTCP packets
 * through the keys it gave, to pay a JVM's first-handshake costs before a participant does: class
 * loading, bctls' static set-up, the P-256 precomputation tables, the first interpreted runs of
 * ECDHE, ECDSA and the record layer, and the SRTP key derivation and cipher set-up.
 *
 * <p>Why it matters: a node that takes over a dead node's rooms (failover) or a drained node's
 * participants may never have run a handshake. Measured in {@code ClusterProcessesBrowserTest}, its
 * first three handshakes took 230-470 ms from ICE to DTLS connected, against about 10 ms once warm;
 * and livekit-client, after a full reconnect, reports the room reconnected at once only if its peer
 * connection is up before it has republished its tracks, else after a fixed 2 s wait. See {@code
 * docs/BENCHMARKS.md}, failover.
 */
public final class DtlsWarmup {
  private static final AtomicBoolean DONE = new AtomicBoolean();

  /** SRTP packets each way after the handshake: enough to load and run every step a few times. */
  private static final int PACKETS = 20;

  private DtlsWarmup() {}

  /**
   * Runs the warm-up handshake once per JVM (later calls return {@link Duration#ZERO} at once);
   * blocks until both ends are connected or {@code timeout} passes.
   *
   * @return how long the handshake took
   * @throws IllegalStateException if it failed or timed out (never expected: both ends are ours)
   */
  public static Duration once(DtlsCertificate certificate, Duration timeout) {
    if (!DONE.compareAndSet(false, true)) {
      return Duration.ZERO;
    }
    return handshake(certificate, timeout);
  }

  /** One in-memory handshake between a client and a server both holding {@code certificate}. */
  static Duration handshake(DtlsCertificate certificate, Duration timeout) {
    long start = System.nanoTime();
    Ends ends = new Ends();
    DtlsFingerprint fingerprint = certificate.sha256Fingerprint();
    DtlsTransport client =
        new DtlsTransport(
            DtlsRole.CLIENT,
            certificate,
            fingerprint,
            (b, o, l) -> ends.server.receive(b, o, l),
            ends.clientEvents);
    DtlsTransport server =
        new DtlsTransport(
            DtlsRole.SERVER,
            certificate,
            fingerprint,
            (b, o, l) -> ends.client.receive(b, o, l),
            ends.serverEvents);
    ends.client = client;
    ends.server = server;
    try {
      server.start();
      client.start();
      CompletableFuture.allOf(ends.clientEvents.connected, ends.serverEvents.connected)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      srtp(ends.clientEvents.connected.join(), ends.serverEvents.connected.join());
      return Duration.ofNanos(System.nanoTime() - start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("DTLS warm-up interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "DTLS warm-up handshake failed: "
              + ends.clientEvents.failure
              + " / "
              + ends.serverEvents.failure,
          e);
    } finally {
      client.close();
      server.close();
    }
  }

  /** Packets of a typical size from the client's keys to the server's, checked on arrival. */
  private static void srtp(SrtpKeyingMaterial clientKeys, SrtpKeyingMaterial serverKeys) {
    SrtpSession client = new SrtpSession(clientKeys, true);
    SrtpSession server = new SrtpSession(serverKeys, false);
    byte[] buf = new byte[1200 + SrtpSession.MAX_RTP_OVERHEAD];
    for (int seq = 0; seq < PACKETS; seq++) {
      buf[0] = (byte) 0x80; // RTP version 2
      buf[1] = 96;
      buf[2] = (byte) (seq >> 8);
      buf[3] = (byte) seq;
      buf[11] = 1; // SSRC 1
      int sent = client.protectRtp(buf, 0, 1200);
      if (sent < 0 || server.unprotectRtp(buf, 0, sent) != 1200) {
        throw new IllegalStateException("SRTP round trip failed at packet " + seq);
      }
      byte[] rtcp = new byte[8 + SrtpSession.MAX_RTCP_OVERHEAD];
      rtcp[0] = (byte) 0x80; // an empty receiver report (RFC 3550 §6.4.2) from SSRC 2
      rtcp[1] = (byte) 201;
      rtcp[3] = 1;
      rtcp[7] = 2;
      int len = server.protectRtcp(rtcp, 0, 8);
      if (len < 0 || client.unprotectRtcp(rtcp, 0, len) != 8) {
        throw new IllegalStateException("SRTCP round trip failed at packet " + seq);
      }
    }
  }

  /** The two transports, set once both exist, and their events. */
  private static final class Ends {
    volatile DtlsTransport client;
    volatile DtlsTransport server;
    final Events clientEvents = new Events();
    final Events serverEvents = new Events();
  }

  private static final class Events implements DtlsTransport.Listener {
    final CompletableFuture<SrtpKeyingMaterial> connected = new CompletableFuture<>();
    volatile String failure = "";

    @Override
    public void onConnected(SrtpKeyingMaterial keys, SrtpProfile profile) {
      connected.complete(keys);
    }

    @Override
    public void onFailed(String reason) {
      failure = reason;
      connected.completeExceptionally(new IllegalStateException(reason));
    }
  }
}
