package eu.visio.meet.identity;

import java.time.Instant;
import java.util.Optional;

/**
 * Where {@link Sessions} keeps sessions: in this JVM ({@link MemorySessionStore}: lost on restart)
 * or in the meeting service's database ({@code eu.visio.meet.store.JdbcSessionStore}: kept across
 * restarts, shared by servers on one database). Keyed by {@link StoredSession#idDigest()}, never by
 * the session id. Expiry is decided by {@link Sessions} with its clock; a store only keeps, finds
 * and removes.
 *
 * <p>Every store is bounded: past its capacity, {@link #put} drops the oldest sessions, so that
 * sign-ins cannot grow it without limit even when nobody sweeps. Implementations are thread-safe. A
 * store that cannot reach its backing storage throws an unchecked exception (the database store:
 * {@code StoreException} with code {@code UNAVAILABLE}, which the API answers with 503).
 */
public interface SessionStore {
  /** Keeps a new session, dropping the oldest ones first if the store is full. */
  void put(StoredSession session);

  /** The session stored under this digest, expired or not. */
  Optional<StoredSession> find(String idDigest);

  /** Forgets the session under this digest; nothing happens if there is none. */
  void remove(String idDigest);

  /** Forgets every session expired at {@code now}; how many it forgot. */
  int removeExpired(Instant now);

  /** Sessions held, expired ones not yet removed included. */
  int count();
}
