package eu.visio.media.transport;

import static eu.visio.media.transport.MediaFixtures.pli;
import static eu.visio.media.transport.MediaFixtures.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropReason;
import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.dtls.DtlsRole;
import eu.visio.media.ice.IceCredentials;
import eu.visio.media.net.OnLoop;
import eu.visio.media.net.Poll;
import eu.visio.media.net.UdpMediaPort;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunErrorCode;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real {@link UdpMediaPort} on 127.0.0.1 and one {@link WebRtcTransport}, driven over loopback by
 * a {@link ClientPeer} that plays the browser: ICE checks, a DTLS client, SRTP. Subclasses pick the
 * socket implementation, so every case runs on epoll and on NIO.
 */
@Timeout(60)
abstract class WebRtcTransportLoopbackContract {
  private static final String CLIENT_UFRAG = "brws";

  private ServerSide server;
  private ClientPeer client;

  abstract UdpMediaPort.Io io();

  @BeforeEach
  void setUp() {
    server = new ServerSide(io(), CLIENT_UFRAG, ClientPeer.CERT.sha256Fingerprint());
    client = new ClientPeer(CLIENT_UFRAG, server.address());
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  @Test
  void aTransportClosedBeforeItsStartRanStartsNothingAndRaisesNothing() {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      WebRtcTransport gone =
          new WebRtcTransport(
              "t2",
              server.port,
              IceCredentials.generate(),
              "left",
              ServerSide.CERT,
              ClientPeer.CERT.sha256Fingerprint(),
              DtlsRole.SERVER,
              new ServerSide.Recorder());
      gone.close("left at once");
      gone.start();
      OnLoop.call(server.port, () -> 0); // both tasks have run
      assertThat(gone.isClosed()).isTrue();
      assertThat(logs.list)
          .as("no task failed on the media loop")
          .noneMatch(e -> e.getThrowableProxy() != null);
    } finally {
      root.detachAppender(logs);
    }
  }

  @Test
  void portUsesTheRequestedIo() {
    assertThat(server.port.isNative()).isEqualTo(io() == UdpMediaPort.Io.EPOLL);
  }

  @Test
  void checkIsAnsweredWithTheClientsAddressAndOurIntegrity() {
    StunMessage r =
        client.checkAndAwait(
            server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, false);

    assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(r.method()).isEqualTo(StunMethod.BINDING);
    assertThat(r.xorMappedAddress()).isEqualTo(client.address());
    assertThat(r.verifyMessageIntegrity(StunIntegrity.shortTerm(server.ice.pwd()))).isTrue();
    assertThat(r.verifyFingerprint()).isTrue();
    // The check validated the path, so the port now routes the client's address directly ...
    assertThat(server.boundAddresses()).isEqualTo(1);
    // ... but only USE-CANDIDATE selects it for media.
    assertThat(server.transport.selectedAddress()).isNull();

    StunMessage nominated =
        client.checkAndAwait(
            server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, true);
    assertThat(nominated.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(server.transport.selectedAddress()).isEqualTo(client.address());
  }

  @Test
  void mediaFlowsBothWaysAfterIceAndDtls() throws Exception {
    connect();
    assertThat(OnLoop.call(server.port, server.transport::srtpProfile))
        .isEqualTo(client.dtlsConnected.join().profile());

    byte[] rtp = rtp(1);
    client.sendRtp(rtp);
    assertThat(server.events.rtp.poll(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(rtp);
    byte[] pli = pli();
    client.sendRtcp(pli);
    assertThat(server.events.rtcp.poll(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(pli);
    assertThat(OnLoop.call(server.port, server.transport::rtpReceived)).isEqualTo(1);

    byte[] down = rtp(7);
    assertThat(server.sendRtp(down)).isTrue();
    byte[] srtp = client.awaitMedia();
    int n = client.srtp().unprotectRtp(srtp, 0, srtp.length);
    assertThat(Arrays.copyOf(srtp, n)).isEqualTo(down);

    assertThat(server.sendRtcp(pli)).isTrue();
    byte[] srtcp = client.awaitMedia();
    n = client.srtp().unprotectRtcp(srtcp, 0, srtcp.length);
    assertThat(Arrays.copyOf(srtcp, n)).isEqualTo(pli);
    assertThat(server.drops.total()).isZero();
  }

  @Test
  void wrongPasswordGets401AndNoRoute() {
    StunMessage r =
        client.checkAndAwait(
            server.ice.ufrag(), "wrongPassword0123456789", ClientPeer.Role.CONTROLLING, true);

    assertThat(r.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
    assertThat(r.errorCode()).isEqualTo(StunErrorCode.UNAUTHENTICATED);
    assertThat(server.dropped(DropReason.STUN_AUTH_FAILED)).isEqualTo(1);
    assertThat(server.boundAddresses()).isZero();
    assertThat(server.transport.selectedAddress()).isNull();
    // Still unvalidated: anything but STUN from the client is refused by the port.
    client.send(rtp(1));
    server.awaitDrops(DropReason.UNKNOWN_SOURCE, 1);
  }

  @Test
  void checkClaimingControlledGets487() {
    StunMessage r =
        client.checkAndAwait(
            server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLED, true);

    assertThat(r.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
    assertThat(r.errorCode()).isEqualTo(StunErrorCode.ROLE_CONFLICT);
    // The request was authenticated, so the error is signed (RFC 8489 §9.1.3).
    assertThat(r.verifyMessageIntegrity(StunIntegrity.shortTerm(server.ice.pwd()))).isTrue();
    assertThat(server.boundAddresses()).isZero();
  }

  @Test
  void srtpBeforeDtlsCompletesIsDroppedForWantOfKeys() {
    nominate();
    client.send(rtp(1)); // any SRTP-range datagram: there is no key to check it with yet

    server.awaitDrops(DropReason.NO_SRTP_KEYS, 1);
    assertThat(server.events.rtp).isEmpty();
  }

  @Test
  void nonStunFromAnUnknownAddressIsDropped() {
    client.send(rtp(1));
    client.send(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0}); // a DTLS record header

    server.awaitDrops(DropReason.UNKNOWN_SOURCE, 2);
    assertThat(server.events.rtp).isEmpty();
  }

  @Test
  void forgedSrtpIsCountedAndNeverDelivered() throws Exception {
    connect();
    byte[] forged = Arrays.copyOf(rtp(1), 17 + 16);
    int n = client.srtp().protectRtp(forged, 0, 17);
    forged[14] ^= 0x01; // one ciphertext bit: the tag no longer matches
    client.send(forged, 0, n);
    server.awaitDrops(DropReason.SRTP_AUTH_FAILED, 1);

    byte[] genuine = rtp(2);
    client.sendRtp(genuine);
    assertThat(server.events.rtp.poll(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo(genuine);
    assertThat(server.events.rtp).isEmpty();
    assertThat(OnLoop.call(server.port, server.transport::rtpReceived)).isEqualTo(1);
  }

  @Test
  void closeSendsCloseNotifyAndUnregistersTheUfrag() throws Exception {
    connect();

    server.transport.close("test closes");

    assertThat(server.events.closed.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo("test closes");
    client.dtlsClosed.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(server.boundAddresses()).isZero();

    byte[] txId = client.newTransactionId();
    client.send(
        client.check(
            txId, server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, true));
    server.awaitDrops(DropReason.UNKNOWN_UFRAG, 1);
    // The drop is counted instead of routing the check: no transport can have answered it.
    assertThat(client.stun).isEmpty();
  }

  @Test
  void wrongRemoteFingerprintClosesTheTransportWithADtlsFailure() throws Exception {
    server.close();
    client.close();
    DtlsCertificate stranger = DtlsCertificate.generate();
    server = new ServerSide(io(), CLIENT_UFRAG, stranger.sha256Fingerprint());
    client = new ClientPeer(CLIENT_UFRAG, server.address());
    nominate();

    client.startDtls(ServerSide.CERT.sha256Fingerprint());

    assertThat(server.events.closed.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS))
        .startsWith("DTLS failed: ")
        .contains("bad_certificate");
    assertThat(server.events.connected).isNotDone();
    client.dtlsFailed.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(OnLoop.call(server.port, server.transport::isClosed)).isTrue();
    assertThat(server.boundAddresses()).isZero();
  }

  @Test
  void iceRestartKeepsOldCredentialsUntilTheNewOnesAreUsed() {
    nominate();
    IceCredentials old = server.ice;
    IceCredentials fresh = IceCredentials.generate();
    server.transport.restartIce(fresh, "brw2");
    OnLoop.call(server.port, () -> null); // the restart has run

    StunMessage stillOld =
        client.checkAndAwait(old.ufrag(), old.pwd(), ClientPeer.Role.CONTROLLING, false);
    assertThat(stillOld.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(stillOld.verifyMessageIntegrity(StunIntegrity.shortTerm(old.pwd()))).isTrue();

    // The browser's new candidate is a new address: the port finds the transport by the new ufrag.
    try (ClientPeer restarted = new ClientPeer("brw2", server.address())) {
      StunMessage r =
          restarted.checkAndAwait(fresh.ufrag(), fresh.pwd(), ClientPeer.Role.CONTROLLING, true);
      assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
      assertThat(r.verifyMessageIntegrity(StunIntegrity.shortTerm(fresh.pwd()))).isTrue();
      assertThat(r.xorMappedAddress()).isEqualTo(restarted.address());
      assertThat(server.transport.selectedAddress()).isEqualTo(restarted.address());
      assertThat(server.boundAddresses()).isEqualTo(2);
    }

    // Once the new credentials were used, the old password is dead (RFC 8445 §9).
    StunMessage dead =
        client.checkAndAwait(old.ufrag(), old.pwd(), ClientPeer.Role.CONTROLLING, false);
    assertThat(dead.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
    assertThat(dead.errorCode()).isEqualTo(StunErrorCode.UNAUTHENTICATED);
  }

  /** Checks with USE-CANDIDATE until the server selected the client's address. */
  private void nominate() {
    StunMessage r =
        client.checkAndAwait(
            server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, true);
    assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(server.transport.selectedAddress()).isEqualTo(client.address());
  }

  /** ICE, then DTLS, until both ends hold SRTP keys. */
  private void connect() throws Exception {
    nominate();
    client.startDtls(ServerSide.CERT.sha256Fingerprint());
    client.dtlsConnected.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    server.events.connected.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(OnLoop.call(server.port, server.transport::isConnected)).isTrue();
  }
}
