package eu.visio.meet.identity;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side sessions behind a cookie holding a random 256-bit id.
 *
 * <p><b>Absolute lifetime</b> (12 hours by default, La Suite Meet's too), not sliding: a sliding
 * session that is used keeps living forever, so a stolen cookie would too, and the provider would
 * never be asked again whether the account still exists. Twelve hours covers a working day; the
 * next morning's sign-in is silent when the provider's own session is still alive.
 *
 * <p><b>Bounded</b>: a session exists only once someone signs in or joins as a named guest, never
 * because a request came without a cookie; past {@code capacity} the oldest session is dropped.
 * Lookups never create anything.
 *
 * <p><b>CSRF</b>: synchronizer tokens, one random token per session kept server side and compared
 * in constant time with the header a write sends. Double-submit cookies would need a second,
 * script-readable cookie that a sibling subdomain could overwrite; we hold session state anyway.
 */
public final class Sessions {
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);
  public static final int DEFAULT_CAPACITY = 100_000;

  private final SessionCookie cookie;
  private final Duration lifetime;
  private final int capacity;
  private final Clock clock;

  /** Keyed by the id's digest; insertion order is expiry order (one lifetime for all). */
  private final LinkedHashMap<String, Session> byId = new LinkedHashMap<>();

  public Sessions(SessionCookie cookie, Duration lifetime, int capacity, Clock clock) {
    if (lifetime.isNegative() || lifetime.isZero() || capacity < 1) {
      throw new IllegalArgumentException("lifetime and capacity must be positive");
    }
    this.cookie = cookie;
    this.lifetime = lifetime;
    this.capacity = capacity;
    this.clock = clock;
  }

  /** Default lifetime and capacity, cookie policy for a server reached at {@code publicUrl}. */
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
    Instant now = clock.instant();
    Session session =
        new Session(
            Secrets.newToken(), principal, now, now.plus(lifetime), Secrets.newToken(), idToken);
    synchronized (byId) {
      dropExpired(now);
      while (byId.size() >= capacity) {
        Iterator<String> oldest = byId.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      byId.put(Secrets.digest(session.id()), session);
    }
    return session;
  }

  /** The live session with this id; empty for unknown, malformed or expired ids. */
  public Optional<Session> find(String sessionId) {
    if (!Secrets.looksLikeToken(sessionId)) {
      return Optional.empty();
    }
    String key = Secrets.digest(sessionId);
    Instant now = clock.instant();
    synchronized (byId) {
      Session session = byId.get(key);
      if (session == null) {
        return Optional.empty();
      }
      if (!now.isBefore(session.expires())) {
        byId.remove(key);
        return Optional.empty();
      }
      return Optional.of(session);
    }
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
    synchronized (byId) {
      byId.remove(Secrets.digest(sessionId));
    }
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
    synchronized (byId) {
      return byId.size();
    }
  }

  private void dropExpired(Instant now) {
    Iterator<Map.Entry<String, Session>> it = byId.entrySet().iterator();
    while (it.hasNext()) {
      if (now.isBefore(it.next().getValue().expires())) {
        return; // insertion order is expiry order: the rest live longer
      }
      it.remove();
    }
  }
}
