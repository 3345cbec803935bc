package eu.visio.media.dtls;

import static eu.visio.media.srtp.SrtpProfile.AEAD_AES_128_GCM;
import static eu.visio.media.srtp.SrtpProfile.AES128_CM_HMAC_SHA1_80;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.media.DropReason;
import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
class DtlsTransportTest {
  private static final long WAIT = 10;

  private static SrtpKeyingMaterial connected(DtlsPair.Events e) throws Exception {
    return e.connected.get(WAIT, TimeUnit.SECONDS);
  }

  private static String failed(DtlsPair.Events e) throws Exception {
    return e.failed.get(WAIT, TimeUnit.SECONDS);
  }

  private static void assertSameKeys(SrtpKeyingMaterial a, SrtpKeyingMaterial b) {
    assertThat(a.profile()).isEqualTo(b.profile());
    assertThat(a.clientKey()).isEqualTo(b.clientKey());
    assertThat(a.clientSalt()).isEqualTo(b.clientSalt());
    assertThat(a.serverKey()).isEqualTo(b.serverKey());
    assertThat(a.serverSalt()).isEqualTo(b.serverSalt());
    assertThat(a.clientKey()).isNotEqualTo(a.serverKey());
    assertThat(a.clientKey()).hasSize(a.profile().keyLength);
    assertThat(a.clientSalt()).hasSize(a.profile().saltLength);
  }

  static Stream<Arguments> profileNegotiation() {
    List<SrtpProfile> both = List.of(AEAD_AES_128_GCM, AES128_CM_HMAC_SHA1_80);
    List<SrtpProfile> cmFirst = List.of(AES128_CM_HMAC_SHA1_80, AEAD_AES_128_GCM);
    List<SrtpProfile> cm = List.of(AES128_CM_HMAC_SHA1_80);
    List<SrtpProfile> gcm = List.of(AEAD_AES_128_GCM);
    return Stream.of(
        // client offers, server accepts, expected
        Arguments.of(both, both, AEAD_AES_128_GCM),
        Arguments.of(cm, both, AES128_CM_HMAC_SHA1_80),
        Arguments.of(both, cm, AES128_CM_HMAC_SHA1_80),
        Arguments.of(cmFirst, both, AEAD_AES_128_GCM), // the server's preference wins
        Arguments.of(gcm, gcm, AEAD_AES_128_GCM));
  }

  @ParameterizedTest
  @MethodSource
  void profileNegotiation(
      List<SrtpProfile> clientOffers, List<SrtpProfile> serverAccepts, SrtpProfile expected)
      throws Exception {
    DtlsPair pair =
        DtlsPair.builder()
            .clientSettings(DtlsPair.FAST.withSrtpProfiles(clientOffers))
            .serverSettings(DtlsPair.FAST.withSrtpProfiles(serverAccepts))
            .build()
            .start();
    try {
      SrtpKeyingMaterial c = connected(pair.clientEvents);
      SrtpKeyingMaterial s = connected(pair.serverEvents);
      assertThat(c.profile()).isEqualTo(expected);
      assertSameKeys(c, s);
      assertThat(pair.client.isConnected()).isTrue();
      assertThat(pair.server.isConnected()).isTrue();
    } finally {
      pair.closeBoth();
    }
  }

  @Test
  void independentHandshakesDeriveDifferentKeys() throws Exception {
    DtlsPair p1 = DtlsPair.create().start();
    DtlsPair p2 = DtlsPair.create().start();
    try {
      assertThat(connected(p1.clientEvents).clientKey())
          .isNotEqualTo(connected(p2.clientEvents).clientKey());
    } finally {
      p1.closeBoth();
      p2.closeBoth();
    }
  }

  @Test
  void noCommonSrtpProfileFailsBothSides() throws Exception {
    DtlsPair pair =
        DtlsPair.builder()
            .clientSettings(DtlsPair.FAST.withSrtpProfiles(List.of(AES128_CM_HMAC_SHA1_80)))
            .serverSettings(DtlsPair.FAST.withSrtpProfiles(List.of(AEAD_AES_128_GCM)))
            .build()
            .start();
    assertThat(failed(pair.serverEvents)).contains("handshake_failure");
    assertThat(failed(pair.clientEvents)).contains("handshake");
    assertThat(pair.clientEvents.connected).isNotDone();
    assertThat(pair.serverEvents.connected).isNotDone();
  }

  @Test
  void clientRejectsWrongServerFingerprint() throws Exception {
    DtlsPair pair =
        DtlsPair.builder().clientExpects(DtlsPair.OTHER_CERT.sha256Fingerprint()).build().start();
    assertThat(failed(pair.clientEvents)).contains("bad_certificate", "fingerprint mismatch");
    assertThat(failed(pair.serverEvents)).contains("aborted by peer: bad_certificate");
    assertThat(pair.clientEvents.connected).isNotDone();
    assertThat(pair.serverEvents.connected).isNotDone();
  }

  @Test
  void serverRejectsWrongClientFingerprint() throws Exception {
    DtlsPair pair =
        DtlsPair.builder().serverExpects(DtlsPair.OTHER_CERT.sha256Fingerprint()).build().start();
    assertThat(failed(pair.serverEvents)).contains("bad_certificate", "fingerprint mismatch");
    assertThat(failed(pair.clientEvents)).contains("aborted by peer: bad_certificate");
    assertThat(pair.clientEvents.connected).isNotDone();
    assertThat(pair.serverEvents.connected).isNotDone();
  }

  @Test
  void sha1FingerprintOfTheRightCertificateIsAccepted() throws Exception {
    DtlsFingerprint sha1 =
        DtlsFingerprint.of(DtlsFingerprint.HashFunction.SHA_1, DtlsPair.SERVER_CERT.encoded());
    DtlsPair pair = DtlsPair.builder().clientExpects(sha1).build().start();
    try {
      assertSameKeys(connected(pair.clientEvents), connected(pair.serverEvents));
    } finally {
      pair.closeBoth();
    }
  }

  @Test
  void lostClientHelloIsRetransmitted() throws Exception {
    DtlsPair pair = DtlsPair.builder().clientLink(DtlsPair.dropFirst(1)).build().start();
    try {
      assertSameKeys(connected(pair.clientEvents), connected(pair.serverEvents));
      // The ClientHello went out at least twice: once lost, once delivered.
      assertThat(pair.clientDatagrams.get()).isGreaterThanOrEqualTo(3);
    } finally {
      pair.closeBoth();
    }
  }

  @Test
  void lostServerFlightIsRetransmitted() throws Exception {
    DtlsPair pair = DtlsPair.builder().serverLink(DtlsPair.dropFirst(2)).build().start();
    try {
      assertSameKeys(connected(pair.clientEvents), connected(pair.serverEvents));
    } finally {
      pair.closeBoth();
    }
  }

  @Test
  void lostFinalFlightsAreRetransmitted() throws Exception {
    // Drop everything each side sends for a while: both must keep retransmitting with backoff.
    DtlsPair pair =
        DtlsPair.builder()
            .clientLink(DtlsPair.dropFirst(3))
            .serverLink(DtlsPair.dropFirst(3))
            .build()
            .start();
    try {
      assertSameKeys(connected(pair.clientEvents), connected(pair.serverEvents));
    } finally {
      pair.closeBoth();
    }
  }

  @ParameterizedTest
  @EnumSource(DtlsRole.class)
  void handshakeTimesOutWithoutPeer(DtlsRole role) throws Exception {
    DtlsPair.Events events = new DtlsPair.Events();
    DtlsTransport lonely =
        new DtlsTransport(
            role,
            DtlsPair.CLIENT_CERT,
            DtlsPair.SERVER_CERT.sha256Fingerprint(),
            (b, o, l) -> {},
            events,
            DtlsPair.FAST.withTimers(Duration.ofMillis(300), Duration.ofMillis(50)));
    long t0 = System.nanoTime();
    lonely.start();
    assertThat(failed(events)).contains("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(events.connected).isNotDone();
  }

  @Test
  void closeNotifyReachesThePeer() throws Exception {
    DtlsPair pair = DtlsPair.create().start();
    connected(pair.clientEvents);
    connected(pair.serverEvents);

    pair.client.close();

    pair.serverEvents.closed.get(WAIT, TimeUnit.SECONDS);
    assertThat(pair.server.isConnected()).isFalse();
    assertThat(pair.serverEvents.failed).isNotDone();
    // A local close is silent.
    Thread.sleep(100);
    assertThat(pair.clientEvents.closed).isNotDone();
    assertThat(pair.clientEvents.failed).isNotDone();
    assertThat(pair.client.isConnected()).isFalse();
    assertThat(pair.client.sendApplicationData(new byte[1], 0, 1)).isFalse();

    pair.server.receive(new byte[20], 0, 20);
    assertThat(pair.server.drops().count(DropReason.DTLS_NOT_ACCEPTED)).isEqualTo(1);
  }

  @Test
  void serverCloseReachesClient() throws Exception {
    DtlsPair pair = DtlsPair.create().start();
    connected(pair.clientEvents);
    connected(pair.serverEvents);
    pair.server.close();
    pair.clientEvents.closed.get(WAIT, TimeUnit.SECONDS);
    assertThat(pair.clientEvents.failed).isNotDone();
  }

  @Test
  void closeDuringHandshakeIsSilentAndStopsTheThread() throws Exception {
    DtlsPair.Events events = new DtlsPair.Events();
    DtlsTransport t =
        new DtlsTransport(
            DtlsRole.SERVER,
            DtlsPair.SERVER_CERT,
            DtlsPair.CLIENT_CERT.sha256Fingerprint(),
            (b, o, l) -> {},
            events,
            DtlsPair.FAST);
    t.start();
    Thread.sleep(50);
    t.close();
    t.close(); // idempotent
    Thread.sleep(200);
    assertThat(events.anyEvent()).isFalse();
    assertThatThrownBy(t::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void applicationDataRoundTrip() throws Exception {
    DtlsPair pair = DtlsPair.create().start();
    try {
      connected(pair.clientEvents);
      connected(pair.serverEvents);
      byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
      byte[] framed = new byte[ping.length + 4];
      System.arraycopy(ping, 0, framed, 2, ping.length);
      assertThat(pair.client.sendApplicationData(framed, 2, ping.length)).isTrue();
      assertThat(pair.serverEvents.data.poll(WAIT, TimeUnit.SECONDS)).isEqualTo(ping);

      byte[] big = new byte[pair.server.applicationDataLimit()];
      for (int i = 0; i < big.length; i++) {
        big[i] = (byte) i;
      }
      assertThat(pair.server.sendApplicationData(big, 0, big.length)).isTrue();
      assertThat(pair.clientEvents.data.poll(WAIT, TimeUnit.SECONDS)).isEqualTo(big);
    } finally {
      pair.closeBoth();
    }
  }

  @Test
  void recordsFitTheMtu() throws Exception {
    int[] largest = new int[1];
    DtlsPair pair =
        DtlsPair.builder()
            .clientLink(
                next ->
                    (b, o, l) -> {
                      largest[0] = Math.max(largest[0], l);
                      next.send(b, o, l);
                    })
            .build()
            .start();
    try {
      connected(pair.clientEvents);
      connected(pair.serverEvents);
      int limit = pair.client.applicationDataLimit();
      assertThat(limit).isBetween(1100, 1200 - DtlsPacket.RECORD_HEADER_LENGTH);
      pair.client.sendApplicationData(new byte[limit], 0, limit);
      pair.serverEvents.data.poll(WAIT, TimeUnit.SECONDS);
      assertThat(largest[0]).isLessThanOrEqualTo(DtlsSettings.DEFAULTS.mtu());
      assertThatThrownBy(() -> pair.client.sendApplicationData(new byte[limit + 1], 0, limit + 1))
          .isInstanceOf(IllegalArgumentException.class);
    } finally {
      pair.closeBoth();
    }
  }

  @Test
  void applicationDataBeforeHandshakeIsRefused() {
    DtlsPair pair = DtlsPair.create();
    assertThat(pair.client.sendApplicationData(new byte[4], 0, 4)).isFalse();
    assertThat(pair.client.applicationDataLimit()).isZero();
  }

  @Test
  void inboundQueueIsBoundedAndCounted() {
    DtlsTransport t =
        new DtlsTransport(
            DtlsRole.SERVER,
            DtlsPair.SERVER_CERT,
            DtlsPair.CLIENT_CERT.sha256Fingerprint(),
            (b, o, l) -> {},
            new DtlsPair.Events(),
            new DtlsSettings(
                List.of(AEAD_AES_128_GCM), Duration.ofSeconds(1), Duration.ofSeconds(1), 1200, 2));
    byte[] datagram = handshakeRecord(100);
    for (int i = 0; i < 5; i++) {
      t.receive(datagram, 0, datagram.length);
    }
    t.receive(handshakeRecord(2000), 0, 2000);
    byte[] junk = new byte[100];
    t.receive(junk, 0, junk.length);
    assertThat(t.drops().count(DropReason.QUEUE_FULL)).isEqualTo(3);
    assertThat(t.drops().count(DropReason.DTLS_TOO_LARGE)).isEqualTo(1);
    assertThat(t.drops().count(DropReason.MALFORMED_DTLS)).isEqualTo(1);
    t.close();
    t.receive(datagram, 0, datagram.length);
    assertThat(t.drops().count(DropReason.DTLS_NOT_ACCEPTED)).isEqualTo(1);
  }

  @Test
  void garbageBeforeTheClientHelloIsIgnored() throws Exception {
    DtlsPair pair = DtlsPair.create();
    byte[] junk = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99, 1, 2, 3};
    pair.server.receive(junk, 0, junk.length);
    pair.server.receive(junk, 0, 5);
    pair.start();
    try {
      assertSameKeys(connected(pair.clientEvents), connected(pair.serverEvents));
    } finally {
      pair.closeBoth();
    }
  }

  /** One epoch-0 DTLS 1.2 handshake record filling {@code size} bytes (a zeroed body). */
  private static byte[] handshakeRecord(int size) {
    byte[] b = new byte[size];
    b[0] = 22;
    b[1] = (byte) 0xFE;
    b[2] = (byte) 0xFD;
    int body = size - DtlsPacket.RECORD_HEADER_LENGTH;
    b[11] = (byte) (body >> 8);
    b[12] = (byte) body;
    return b;
  }
}
