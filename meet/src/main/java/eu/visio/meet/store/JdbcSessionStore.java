package eu.visio.meet.store;

import eu.visio.meet.identity.Guest;
import eu.visio.meet.identity.Identity;
import eu.visio.meet.identity.Principal;
import eu.visio.meet.identity.SessionStore;
import eu.visio.meet.identity.StoredSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Sessions in the {@code sessions} table: they outlive a restart, and servers sharing the database
 * share them (nothing is cached here). The table is keyed by the session id's digest; the id itself
 * never reaches the database.
 *
 * <p>Bounded by {@code capacity} rows: a {@link #put} into a full table first deletes the sessions
 * that expire first, which (one lifetime for all) are the oldest. The count and the deletion run in
 * the put's transaction; concurrent puts on several servers may overshoot the capacity by their
 * number until the next put trims it again.
 */
public final class JdbcSessionStore implements SessionStore {
  private static final String COLUMNS =
      "id_digest, kind, issuer, subject, email, full_name, guest_id, display_name, csrf_token,"
          + " id_token, created_at, expires_at";

  private final DataSource ds;
  private final int capacity;

  public JdbcSessionStore(DataSource ds, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.ds = ds;
    this.capacity = capacity;
  }

  @Override
  public void put(StoredSession session) {
    Jdbc.transaction(
        ds,
        c -> {
          long excess = count(c) - capacity + 1;
          if (excess > 0) {
            dropFirstToExpire(c, excess);
          }
          insert(c, session);
          return null;
        });
  }

  @Override
  public Optional<StoredSession> find(String idDigest) {
    return Jdbc.transaction(
        ds,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE id_digest = ?")) {
            s.setString(1, idDigest);
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public void remove(String idDigest) {
    Jdbc.transaction(
        ds,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM sessions WHERE id_digest = ?")) {
            s.setString(1, idDigest);
            return s.executeUpdate();
          }
        });
  }

  @Override
  public int removeExpired(Instant now) {
    return Jdbc.transaction(
        ds,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM sessions WHERE expires_at <= ?")) {
            Jdbc.setInstant(s, 1, now);
            return s.executeUpdate();
          }
        });
  }

  @Override
  public int count() {
    return Jdbc.transaction(ds, c -> (int) count(c));
  }

  private static long count(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM sessions");
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void dropFirstToExpire(Connection c, long n) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "DELETE FROM sessions WHERE id_digest IN (SELECT id_digest FROM sessions"
                + " ORDER BY expires_at, id_digest LIMIT ?)")) {
      s.setLong(1, n);
      s.executeUpdate();
    }
  }

  private static void insert(Connection c, StoredSession session) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, session.idDigest());
      switch (session.principal()) {
        case Identity i -> {
          s.setString(2, "identity");
          s.setString(3, i.issuer());
          s.setString(4, i.subject());
          s.setString(5, i.email());
          s.setString(6, i.name());
          s.setString(7, null);
          s.setString(8, null);
        }
        case Guest g -> {
          s.setString(2, "guest");
          s.setString(3, null);
          s.setString(4, null);
          s.setString(5, null);
          s.setString(6, null);
          s.setString(7, g.id());
          s.setString(8, g.displayName());
        }
      }
      s.setString(9, session.csrfToken());
      s.setString(10, session.idToken());
      Jdbc.setInstant(s, 11, session.created());
      Jdbc.setInstant(s, 12, session.expires());
      s.executeUpdate();
    }
  }

  private static StoredSession read(ResultSet r) throws SQLException {
    String kind = r.getString("kind");
    Principal principal =
        switch (kind) {
          case "identity" ->
              new Identity(
                  r.getString("issuer"),
                  r.getString("subject"),
                  r.getString("email"),
                  r.getString("full_name"));
          case "guest" -> new Guest(r.getString("guest_id"), r.getString("display_name"));
          // The table's check allows no other; a row written around it is refused, not guessed.
          default ->
              throw new StoreException(StoreException.Code.INVALID, "unknown session kind " + kind);
        };
    return new StoredSession(
        r.getString("id_digest"),
        principal,
        Jdbc.getInstant(r, "created_at"),
        Jdbc.getInstant(r, "expires_at"),
        r.getString("csrf_token"),
        r.getString("id_token"));
  }
}
