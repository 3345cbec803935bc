package eu.visio.meet.identity;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Server-side sessions behind a cookie holding a random 256-bit id, kept in a {@link SessionStore}:
 * in memory ({@link #forServer}), or in the database, where they outlive a restart and can be
 * shared by several servers. The store sees only the id's SHA-256, never the id.
 *
 * <p><b>Absolute lifetime</b> (12 hours by default, La Suite Meet's too), not sliding: a sliding
 * session that is used keeps living forever, so a stolen cookie would too, and the provider would
 * never be asked again whether the account still exists. Twelve hours covers a working day; the
 * next morning's sign-in is silent when the provider's own session is still alive.
 *
 * <p><b>Bounded</b>: a session exists only once someone signs in or joins as a named guest, never
 * because a request came without a cookie; the store drops its oldest sessions past its capacity.
 * Lookups never create anything. Expired sessions are swept when this starts (what a previous run
 * left behind) and whenever a session starts: the store grows only then, so it cannot fill up with
 * dead sessions between sweeps. An expired session that is looked up is removed at once.
 *
 * <p><b>CSRF</b>: synchronizer tokens, one random token per session kept server side and compared
 * in constant time with the header a write sends. Double-submit cookies would need a second,
 * script-readable cookie that a sibling subdomain could overwrite; we hold session state anyway.
 *
 * <p><b>Failures</b>: a store that cannot be reached throws (the database store a {@code
 * StoreException}, {@code UNAVAILABLE}); it is not read as "no session", which would tell a
 * signed-in browser it was signed out. The API answers it with 503.
 */
public final class Sessions {
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);
  public static final int DEFAULT_CAPACITY = 100_000;

  private final SessionCookie cookie;
  private final Duration lifetime;
  private final SessionStore store;
  private final Clock clock;

  /** Sessions in memory, at most {@code capacity} of them (lost when the server stops). */
  public Sessions(SessionCookie cookie, Duration lifetime, int capacity, Clock clock) {
    this(cookie, lifetime, new MemorySessionStore(capacity), clock);
  }

  /** Sessions kept in {@code store}; the ones that expired while nobody looked are swept now. */
  public Sessions(SessionCookie cookie, Duration lifetime, SessionStore store, Clock clock) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive");
    }
    this.cookie = cookie;
    this.lifetime = lifetime;
    this.store = store;
    this.clock = clock;
    store.removeExpired(clock.instant());
  }

  /** Default lifetime and capacity, in memory, cookie policy for a server at {@code publicUrl}. */
  public static Sessions forServer(URI publicUrl) {
    return new Sessions(
        SessionCookie.forServer(publicUrl), DEFAULT_LIFETIME, DEFAULT_CAPACITY, Clock.systemUTC());
  }

  /** A new session for someone who just signed in with the provider. */
  public Session start(SignedIn signedIn) {
    return start(signedIn.identity(), signedIn.idToken());
  }

  /** A new session for a guest or a development sign-in. */
  public Session start(Principal principal) {
    return start(principal, null);
  }

  private Session start(Principal principal, String idToken) {
    // Microseconds: what the database keeps, so a session reads back exactly as it started.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Session session =
        new Session(
            Secrets.newToken(), principal, now, now.plus(lifetime), Secrets.newToken(), idToken);
    store.removeExpired(now);
    store.put(
        new StoredSession(
            Secrets.digest(session.id()),
            principal,
            session.created(),
            session.expires(),
            session.csrfToken(),
            idToken));
    return session;
  }

  /**
   * The live session with this id; empty for unknown, malformed or expired ids. Throws what the
   * store throws when it cannot answer.
   */
  public Optional<Session> find(String sessionId) {
    if (!Secrets.looksLikeToken(sessionId)) {
      return Optional.empty();
    }
    String key = Secrets.digest(sessionId);
    Optional<StoredSession> found = store.find(key);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    StoredSession s = found.get();
    if (s.expiredAt(clock.instant())) {
      store.remove(key);
      return Optional.empty();
    }
    return Optional.of(
        new Session(
            sessionId, s.principal(), s.created(), s.expires(), s.csrfToken(), s.idToken()));
  }

  /** The live session a {@code Cookie} request header names, if any. */
  public Optional<Session> fromCookieHeader(String cookieHeader) {
    return cookie.read(cookieHeader).flatMap(this::find);
  }

  /** Ends a session (logout, or replacing a guest session at sign-in). Unknown ids are ignored. */
  public void end(String sessionId) {
    if (!Secrets.looksLikeToken(sessionId)) {
      return;
    }
    store.remove(Secrets.digest(sessionId));
  }

  /** Whether a write may proceed: the header carries this session's CSRF token. */
  public boolean csrfOk(Session session, String presentedToken) {
    return Secrets.same(session.csrfToken(), presentedToken);
  }

  /** {@code Set-Cookie} value carrying the session, expiring with it. */
  public String setCookie(Session session) {
    return cookie.set(session.id(), Duration.between(clock.instant(), session.expires()));
  }

  /** {@code Set-Cookie} value removing the session cookie (logout). */
  public String clearCookie() {
    return cookie.clear();
  }

  public SessionCookie cookie() {
    return cookie;
  }

  /** Sessions held, expired ones not yet swept included (for metrics). */
  public int size() {
    return store.count();
  }
}
