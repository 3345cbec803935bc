package eu.visio.meet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

final class SessionsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T08:00:00Z"));
  private final Sessions sessions =
      new Sessions(new SessionCookie(true), Sessions.DEFAULT_LIFETIME, 1000, clock);
  private final Identity alice =
      new Identity("https://idp.example", "alice", "a@example.org", "Alice");

  @Test
  void aStartedSessionIsFoundByItsIdAndItsCookie() {
    Session session = sessions.start(alice);
    assertThat(session.id()).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(sessions.find(session.id())).get().usingRecursiveComparison().isEqualTo(session);
    assertThat(
            sessions.fromCookieHeader("theme=dark; __Host-visio_session=" + session.id() + "; x=y"))
        .get()
        .usingRecursiveComparison()
        .isEqualTo(session);
    assertThat(session.principal()).isEqualTo(alice);
  }

  @Test
  void idsAndCsrfTokensAreFreshEachTime() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Session s = sessions.start(alice);
      assertThat(seen.add(s.id())).isTrue();
      assertThat(seen.add(s.csrfToken())).isTrue();
    }
  }

  @Test
  void theLifetimeIsAbsoluteUseDoesNotExtendIt() {
    Session session = sessions.start(alice);
    assertThat(session.expires()).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
    for (int hour = 0; hour < 11; hour++) {
      clock.advance(Duration.ofHours(1));
      assertThat(sessions.find(session.id())).isPresent();
    }
    clock.advance(Duration.ofMinutes(59).plusSeconds(59));
    assertThat(sessions.find(session.id())).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(sessions.find(session.id())).isEmpty();
    assertThat(sessions.size()).as("an expired session found is dropped").isZero();
  }

  @Test
  void logoutEndsTheSession() {
    Session session = sessions.start(alice);
    Session other = sessions.start(Guest.named("Bob"));
    sessions.end(session.id());
    assertThat(sessions.find(session.id())).isEmpty();
    assertThat(sessions.find(other.id())).isPresent();
    sessions.end("not-a-session"); // ignored
    sessions.end(null);
    assertThat(sessions.size()).isEqualTo(1);
  }

  @Test
  void holdsAtMostItsCapacityDroppingTheOldest() {
    Sessions small = new Sessions(new SessionCookie(true), Duration.ofHours(12), 3, clock);
    List<Session> started = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      started.add(small.start(Guest.named("g" + i)));
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(small.size()).isEqualTo(3);
    assertThat(small.find(started.get(0).id())).isEmpty();
    assertThat(small.find(started.get(1).id())).isEmpty();
    assertThat(small.find(started.get(4).id())).isPresent();
  }

  @Test
  void lookupsNeverCreateSessions() {
    for (int i = 0; i < 100; i++) {
      sessions.find(Secrets.newToken());
      sessions.fromCookieHeader("__Host-visio_session=" + Secrets.newToken());
      sessions.fromCookieHeader(null);
    }
    assertThat(sessions.size()).isZero();
  }

  @Test
  void expiredSessionsAreSweptWhenNewOnesStart() {
    sessions.start(alice);
    sessions.start(alice);
    clock.advance(Duration.ofHours(12));
    sessions.start(alice);
    assertThat(sessions.size()).isEqualTo(1);
  }

  @Test
  void csrfTokenMustMatchExactly() {
    Session session = sessions.start(alice);
    Session other = sessions.start(alice);
    assertThat(sessions.csrfOk(session, session.csrfToken())).isTrue();
    assertThat(sessions.csrfOk(session, other.csrfToken())).isFalse();
    assertThat(sessions.csrfOk(session, null)).isFalse();
    assertThat(sessions.csrfOk(session, "")).isFalse();
    assertThat(sessions.csrfOk(session, session.csrfToken().substring(1))).isFalse();
  }

  @Test
  void theCookieExpiresWithTheSession() {
    Session session = sessions.start(alice);
    clock.advance(Duration.ofHours(2));
    assertThat(sessions.setCookie(session))
        .isEqualTo(
            "__Host-visio_session="
                + session.id()
                + "; Max-Age=36000; Path=/; HttpOnly; SameSite=Lax; Secure");
    assertThat(sessions.clearCookie())
        .isEqualTo("__Host-visio_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure");
  }

  @Test
  void secretsStayOutOfToString() {
    Session session =
        Sessions.forServer(URI.create("https://visio.example"))
            .start(new SignedIn(alice, "/", "header.claims.signature"));
    assertThat(session.toString())
        .doesNotContain(session.id())
        .doesNotContain(session.csrfToken())
        .doesNotContain("header.claims.signature")
        .contains("alice");
    assertThat(session.idToken()).contains("header.claims.signature");
  }

  @Property
  void arbitraryCookieValuesFindNothing(@ForAll String value) {
    Sessions fresh = new Sessions(new SessionCookie(false), Duration.ofHours(1), 10, clock);
    fresh.start(alice);
    assertThat(fresh.find(value)).isEmpty();
    assertThat(fresh.fromCookieHeader(value)).isEmpty();
    assertThat(fresh.fromCookieHeader("visio_session=" + value)).isEmpty();
  }
}
