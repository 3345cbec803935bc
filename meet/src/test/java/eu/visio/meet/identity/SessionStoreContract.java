package eu.visio.meet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SessionStore} must do, run on each: {@link MemorySessionStoreTest} here, the
 * database store on H2 and PostgreSQL in {@code eu.visio.meet.store}. Public so those can implement
 * it; the tests run in this package, with its access to {@link Secrets} and {@link Session}.
 */
public interface SessionStoreContract {
  Instant T0 = Instant.parse("2026-11-28T08:00:00Z");

  /** An empty store holding at most {@code capacity} sessions. */
  SessionStore store(int capacity);

  private static StoredSession stored(Principal who, Instant created, Duration lifetime) {
    return new StoredSession(
        Secrets.digest(Secrets.newToken()),
        who,
        created,
        created.plus(lifetime),
        Secrets.newToken(),
        null);
  }

  @Test
  default void aStoredSessionReadsBackAsItWasPut() {
    SessionStore store = store(10);
    StoredSession signedIn =
        new StoredSession(
            Secrets.digest(Secrets.newToken()),
            new Identity("https://idp.example", "sub-1", "ana@example.org", "Ana Lima"),
            T0.plusNanos(123_456_000), // microseconds: what every store keeps
            T0.plus(Duration.ofHours(12)),
            Secrets.newToken(),
            "header.claims.signature");
    StoredSession devSignIn =
        stored(
            new Identity(DevIdentity.ISSUER, "dev:bo@example.org", "bo@example.org", ""),
            T0,
            Duration.ofHours(1));
    StoredSession guest = stored(Guest.named("Zoë 🦊"), T0, Duration.ofHours(1));
    store.put(signedIn);
    store.put(devSignIn);
    store.put(guest);

    assertThat(store.find(signedIn.idDigest())).contains(signedIn);
    assertThat(store.find(devSignIn.idDigest())).contains(devSignIn);
    assertThat(store.find(guest.idDigest())).contains(guest);
    assertThat(store.find(guest.idDigest()).orElseThrow().principal().authenticated()).isFalse();
    assertThat(store.find(Secrets.digest(Secrets.newToken()))).isEmpty();
    assertThat(store.count()).isEqualTo(3);
  }

  @Test
  default void removeForgetsThatSessionOnly() {
    SessionStore store = store(10);
    StoredSession a = stored(Guest.named("a"), T0, Duration.ofHours(1));
    StoredSession b = stored(Guest.named("b"), T0, Duration.ofHours(1));
    store.put(a);
    store.put(b);
    store.remove(a.idDigest());
    store.remove(Secrets.digest(Secrets.newToken())); // unknown: nothing happens
    assertThat(store.find(a.idDigest())).isEmpty();
    assertThat(store.find(b.idDigest())).contains(b);
    assertThat(store.count()).isEqualTo(1);
  }

  @Test
  default void removeExpiredTakesThoseEndedByNowItsInstantIncluded() {
    SessionStore store = store(10);
    StoredSession ended = stored(Guest.named("ended"), T0, Duration.ofMinutes(5));
    StoredSession endsNow = stored(Guest.named("now"), T0, Duration.ofMinutes(10));
    StoredSession endsLater = stored(Guest.named("later"), T0, Duration.ofMinutes(11));
    // Put out of expiry order: a store may not rely on it.
    store.put(endsLater);
    store.put(ended);
    store.put(endsNow);

    assertThat(store.removeExpired(T0.plus(Duration.ofMinutes(10)))).isEqualTo(2);
    assertThat(store.find(ended.idDigest())).isEmpty();
    assertThat(store.find(endsNow.idDigest())).isEmpty();
    assertThat(store.find(endsLater.idDigest())).contains(endsLater);
    assertThat(store.removeExpired(T0.plus(Duration.ofMinutes(10)))).isZero();
    assertThat(store.count()).isEqualTo(1);
  }

  @Test
  default void pastItsCapacityTheOldestAreDropped() {
    SessionStore store = store(3);
    List<StoredSession> put = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      StoredSession s = stored(Guest.named("g" + i), T0.plusSeconds(i), Duration.ofHours(12));
      store.put(s);
      put.add(s);
      assertThat(store.count()).isEqualTo(Math.min(i + 1, 3));
    }
    assertThat(store.find(put.get(0).idDigest())).isEmpty();
    assertThat(store.find(put.get(1).idDigest())).isEmpty();
    for (StoredSession kept : put.subList(2, 5)) {
      assertThat(store.find(kept.idDigest())).contains(kept);
    }
  }

  @Test
  default void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> store(0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** {@link Sessions} over this store: what callers see (start, find, expiry, end, CSRF). */
  @Test
  default void sessionsOverThisStoreLiveTheirLifetimeAndEnd() {
    MutableClock clock = new MutableClock(T0);
    SessionStore store = store(100);
    Sessions sessions = new Sessions(new SessionCookie(true), Duration.ofHours(12), store, clock);
    Identity ana = new Identity("https://idp.example", "ana", "ana@example.org", "Ana");
    Session session = sessions.start(new SignedIn(ana, "/", "header.claims.signature"));
    Session guest = sessions.start(Guest.named("Bob"));

    Session found = sessions.fromCookieHeader("__Host-visio_session=" + session.id()).orElseThrow();
    assertThat(found.id()).isEqualTo(session.id());
    assertThat(found.principal()).isEqualTo(ana);
    assertThat(found.created()).isEqualTo(session.created());
    assertThat(found.expires()).isEqualTo(T0.plus(Duration.ofHours(12)));
    assertThat(found.idToken()).contains("header.claims.signature");
    assertThat(sessions.csrfOk(found, session.csrfToken())).isTrue();
    assertThat(sessions.csrfOk(found, guest.csrfToken())).isFalse();
    assertThat(sessions.find(guest.id()).orElseThrow().idToken()).isEmpty();

    sessions.end(guest.id());
    assertThat(sessions.find(guest.id())).isEmpty();
    assertThat(sessions.size()).isEqualTo(1);

    clock.advance(Duration.ofHours(12).minusNanos(1000));
    assertThat(sessions.find(session.id())).isPresent();
    clock.advance(Duration.ofNanos(1000));
    assertThat(sessions.find(session.id())).isEmpty();
    assertThat(store.count()).as("an expired session looked up is removed").isZero();
  }

  @Test
  default void expiredSessionsAreSweptOnStartAndWhenSessionsStart() {
    MutableClock clock = new MutableClock(T0);
    SessionStore store = store(100);
    store.put(
        stored(Guest.named("left over"), T0.minus(Duration.ofHours(13)), Duration.ofHours(12)));
    store.put(stored(Guest.named("still on"), T0.minus(Duration.ofHours(1)), Duration.ofHours(12)));
    Sessions sessions = new Sessions(new SessionCookie(true), Duration.ofHours(12), store, clock);
    assertThat(store.count()).as("swept on start").isEqualTo(1);

    sessions.start(Guest.named("a"));
    clock.advance(Duration.ofHours(12));
    Session last = sessions.start(Guest.named("b"));
    assertThat(store.count()).as("swept when a session starts").isEqualTo(1);
    assertThat(sessions.find(last.id())).isPresent();
  }
}
