package eu.visio.meet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class PendingSignInsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T08:00:00Z"));
  private final PendingSignIns pending = new PendingSignIns(clock, 3);

  private static void fails(ThrowingRunnable r, SignInFailure expected) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            SignInException.class, e -> assertThat(e.failure()).isEqualTo(expected));
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void aStateWorksOnce() throws Exception {
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    String state = pending.add(nonce, verifier, "/room");
    PendingSignIns.Pending p = pending.take(state);
    assertThat(p.nonce()).isEqualTo(nonce);
    assertThat(p.verifier()).isEqualTo(verifier);
    assertThat(p.returnTo()).isEqualTo("/room");
    fails(() -> pending.take(state), SignInFailure.STATE_UNKNOWN);
    assertThat(p.toString()).doesNotContain(verifier.getValue()).doesNotContain(nonce.getValue());
  }

  @Test
  void aStateLapsesAfterTenMinutes() throws Exception {
    String early = pending.add(new Nonce(), new CodeVerifier(), "/");
    String late = pending.add(new Nonce(), new CodeVerifier(), "/");
    clock.advance(PendingSignIns.LIFETIME.minusSeconds(1));
    pending.take(early);
    clock.advance(Duration.ofSeconds(1));
    fails(() -> pending.take(late), SignInFailure.STATE_EXPIRED);
  }

  @Test
  void malformedOrForeignStatesAreUnknown() {
    pending.add(new Nonce(), new CodeVerifier(), "/");
    fails(() -> pending.take(null), SignInFailure.STATE_UNKNOWN);
    fails(() -> pending.take(""), SignInFailure.STATE_UNKNOWN);
    fails(() -> pending.take("short"), SignInFailure.STATE_UNKNOWN);
    fails(() -> pending.take(Secrets.newToken()), SignInFailure.STATE_UNKNOWN);
    assertThat(pending.size()).isEqualTo(1);
  }

  @Test
  void aFloodOfSignInsKeepsOnlyTheNewest() throws Exception {
    String first = pending.add(new Nonce(), new CodeVerifier(), "/");
    for (int i = 0; i < 1000; i++) {
      pending.add(new Nonce(), new CodeVerifier(), "/");
    }
    String last = pending.add(new Nonce(), new CodeVerifier(), "/");
    assertThat(pending.size()).isEqualTo(3);
    fails(() -> pending.take(first), SignInFailure.STATE_UNKNOWN);
    assertThat(pending.take(last).returnTo()).isEqualTo("/");
  }
}
