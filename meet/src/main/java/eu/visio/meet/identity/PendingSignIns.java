package eu.visio.meet.identity;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sign-ins under way: what the callback needs (nonce, PKCE verifier, where to return) keyed by the
 * state sent to the provider. Kept server side, so neither the verifier nor the nonce ever reaches
 * the browser; each state works once and for {@link #LIFETIME} only.
 *
 * <p>Bounded: anyone can start a sign-in without being signed in, so a flood of {@code /login}
 * requests must not grow memory. Past {@link #capacity} entries the oldest is dropped; a user whose
 * pending sign-in was pushed out simply starts again.
 */
final class PendingSignIns {
  /** Time a user has at the provider (login form, second factor) before the state lapses. */
  static final Duration LIFETIME = Duration.ofMinutes(10);

  static final int DEFAULT_CAPACITY = 10_000;

  /** What a callback needs to finish a sign-in. */
  record Pending(Nonce nonce, CodeVerifier verifier, String returnTo, Instant expires) {
    @Override
    public String toString() {
      return "Pending[returnTo=" + returnTo + ", expires=" + expires + "]";
    }
  }

  private final Clock clock;
  private final int capacity;

  /** Keyed by the state's digest, in insertion (hence expiry) order. Guarded by itself. */
  private final LinkedHashMap<String, Pending> byState = new LinkedHashMap<>();

  PendingSignIns(Clock clock, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.clock = clock;
    this.capacity = capacity;
  }

  /** Remembers a new sign-in; returns the state to send to the provider. */
  String add(Nonce nonce, CodeVerifier verifier, String returnTo) {
    String state = Secrets.newToken();
    Instant now = clock.instant();
    Pending pending = new Pending(nonce, verifier, returnTo, now.plus(LIFETIME));
    synchronized (byState) {
      dropExpired(now);
      while (byState.size() >= capacity) {
        Iterator<String> oldest = byState.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      byState.put(Secrets.digest(state), pending);
    }
    return state;
  }

  /** Removes and returns the sign-in a callback's state names: whatever happens, it is used up. */
  Pending take(String state) throws SignInException {
    if (!Secrets.looksLikeToken(state)) {
      throw new SignInException(SignInFailure.STATE_UNKNOWN, "no state, or not one of ours");
    }
    Pending pending;
    synchronized (byState) {
      pending = byState.remove(Secrets.digest(state));
    }
    if (pending == null) {
      throw new SignInException(SignInFailure.STATE_UNKNOWN, "state unknown or already used");
    }
    if (!clock.instant().isBefore(pending.expires())) {
      throw new SignInException(SignInFailure.STATE_EXPIRED, "state expired");
    }
    return pending;
  }

  int size() {
    synchronized (byState) {
      return byState.size();
    }
  }

  private void dropExpired(Instant now) {
    Iterator<Map.Entry<String, Pending>> it = byState.entrySet().iterator();
    while (it.hasNext()) {
      if (now.isBefore(it.next().getValue().expires())) {
        return; // insertion order is expiry order: the rest are younger
      }
      it.remove();
    }
  }
}
