package eu.visio.signal.whip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.media.DropCounters;
import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.ice.HostCandidates;
import eu.visio.media.ice.IceCandidate;
import eu.visio.media.net.UdpMediaPort;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link WhipService} without HTTP: stream names and the session lifecycle. */
class WhipServiceTest {
  private static UdpMediaPort port;
  private static WhipService whip;
  private static String offer;

  @BeforeAll
  static void start() throws Exception {
    port =
        UdpMediaPort.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            (buf, off, len) -> null,
            new DropCounters());
    List<IceCandidate> candidates =
        HostCandidates.fromAddresses(
            List.of(InetAddress.getLoopbackAddress()),
            port.localAddress().getPort(),
            IceCandidate.Transport.UDP);
    whip = new WhipService(port, DtlsCertificate.shared(), candidates);
    try (InputStream in = WhipServiceTest.class.getResourceAsStream("/sdp/chrome-whip-offer.sdp")) {
      offer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  @AfterAll
  static void stop() {
    whip.close();
    port.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "cam",
        "Cam_1.back-up~2",
        "...",
        ".hidden",
        // 128 characters, the longest name
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      })
  void acceptedStreamNames(String name) throws WhipException {
    WhipResource r = whip.publish(name, offer);
    assertThat(r.location()).isEqualTo("/whip/" + name + "/" + r.id());
    whip.delete(SessionKind.WHIP, name, r.id());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "cam!",
        "my cam",
        "cam/1",
        "cam%2F1",
        "caméra",
        "cam\n",
        // 129 characters, one too many
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef!"
      })
  void rejectedStreamNames(String name) {
    int before = whip.activeSessions();
    assertThatThrownBy(() -> whip.publish(name, offer))
        .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> whip.play(name, offer))
        .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThat(whip.activeSessions()).isEqualTo(before);
  }

  /**
   * A DELETE must not return before the session has ended: the HTTP client may send its next
   * request (a second DELETE, a PATCH, a new POST) the moment it has the response. The media loop
   * is held busy so that closing the transport cannot happen behind the caller's back.
   */
  @Test
  void deleteReturnsOnlyOnceTheSessionHasEnded() throws Exception {
    WhipResource r = whip.publish("held", offer);
    int before = whip.activeSessions();
    CountDownLatch release = new CountDownLatch(1);
    port.execute(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread deleter =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    whip.delete(SessionKind.WHIP, "held", r.id());
                  } catch (WhipException | RuntimeException e) {
                    failure.set(e);
                  }
                });
    try {
      // Wait until the DELETE has either returned or is blocked waiting for the loop.
      long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
      while (deleter.getState() != Thread.State.TERMINATED
          && deleter.getState() != Thread.State.TIMED_WAITING
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      if (deleter.getState() == Thread.State.TERMINATED) {
        assertThat(whip.activeSessions())
            .as("sessions when DELETE returned while the loop was busy")
            .isEqualTo(before - 1);
      }
    } finally {
      release.countDown();
      deleter.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(whip.activeSessions()).isEqualTo(before - 1);
    assertThatThrownBy(() -> whip.delete(SessionKind.WHIP, "held", r.id()))
        .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.status()).isEqualTo(410));
  }

  private static final String TRICKLE = "a=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host\r\n";

  @Test
  void patchWithNewCredentialsRestartsIceAndReturnsOurNewOnes() throws WhipException {
    WhipResource r = whip.publish("restart", offer);
    assertThat(whip.patch(SessionKind.WHIP, "restart", r.id(), TRICKLE, false)).isEmpty();
    String newCredentials = "a=ice-ufrag:nEwU\r\na=ice-pwd:aNewPasswordOf24Chars00\r\n";
    // Other credentials without If-Match "*" are another ICE session's trickle: refused.
    assertThatThrownBy(() -> whip.patch(SessionKind.WHIP, "restart", r.id(), newCredentials, false))
        .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.status()).isEqualTo(422));
    String fragment =
        whip.patch(SessionKind.WHIP, "restart", r.id(), newCredentials, true).orElseThrow();
    assertThat(fragment).contains("a=ice-lite\r\n").contains("a=end-of-candidates\r\n");
    assertThat(fragment).containsPattern("a=ice-ufrag:\\S{4,}\r\n");
    assertThat(fragment).containsPattern("a=ice-pwd:\\S{22,}\r\n");
    assertThat(fragment)
        .doesNotContain(
            r.answerSdp()
                .lines()
                .filter(l -> l.startsWith("a=ice-ufrag:"))
                .findFirst()
                .orElseThrow());
    // Trickle under the new credentials is accepted; a restart to the same ones is not a restart.
    assertThat(whip.patch(SessionKind.WHIP, "restart", r.id(), newCredentials, false)).isEmpty();
    assertThatThrownBy(() -> whip.patch(SessionKind.WHIP, "restart", r.id(), newCredentials, true))
        .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(
            () -> whip.patch(SessionKind.WHIP, "restart", r.id(), "a=ice-ufrag:only\r\n", true))
        .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.status()).isEqualTo(400));
    whip.delete(SessionKind.WHIP, "restart", r.id());
  }

  @Test
  void unknownSessionsAreNotFoundAndEndedOnesGone() throws WhipException {
    WhipResource r = whip.publish("life", offer);
    assertThatThrownBy(() -> whip.patch(SessionKind.WHEP, "life", r.id(), TRICKLE, false))
        .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> whip.patch(SessionKind.WHIP, "other", r.id(), TRICKLE, false))
        .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.status()).isEqualTo(404));
    whip.patch(SessionKind.WHIP, "life", r.id(), TRICKLE, false);
    whip.delete(SessionKind.WHIP, "life", r.id());
    assertThatThrownBy(() -> whip.patch(SessionKind.WHIP, "life", r.id(), TRICKLE, false))
        .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.status()).isEqualTo(410));
    assertThatThrownBy(() -> whip.delete(SessionKind.WHIP, "life", "0".repeat(24)))
        .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void playingAStreamWithoutAConnectedPublisherIsNotFound() throws WhipException {
    WhipResource r = whip.publish("pending", offer);
    // Published, but the publisher never did ICE: there is nothing to play yet.
    assertThatThrownBy(() -> whip.play("pending", offer))
        .isInstanceOfSatisfying(WhipException.class, e -> assertThat(e.status()).isEqualTo(404));
    whip.delete(SessionKind.WHIP, "pending", r.id());
  }
}
