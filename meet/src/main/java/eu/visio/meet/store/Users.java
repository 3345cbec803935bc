package eu.visio.meet.store;

import eu.visio.meet.room.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Users, created on their first sign-in and refreshed on every later one: the provider is the
 * authority for e-mail and name, so what it says last wins; the id stays.
 */
public final class Users {
  private static final String COLUMNS = "id, issuer, subject, email, full_name, created_at";

  private final DataSource ds;
  private final Clock clock;

  public Users(DataSource ds, Clock clock) {
    this.ds = ds;
    this.clock = clock;
  }

  /**
   * The user (issuer, subject), created if new, with the e-mail and full name the provider gave now
   * (empty strings when it gave none). A {@link eu.visio.meet.room.ValidationException} for values
   * the model refuses.
   */
  public User signIn(String issuer, String subject, String email, String fullName) {
    User.checkIdentity(issuer, subject);
    User.checkProfile(email, fullName);
    try {
      return Jdbc.transaction(ds, c -> upsert(c, issuer, subject, email, fullName));
    } catch (StoreException e) {
      if (e.code() != StoreException.Code.CONFLICT) {
        throw e;
      }
      // Two first sign-ins at once: the other inserted; ours now finds the row and updates it.
      return Jdbc.transaction(ds, c -> upsert(c, issuer, subject, email, fullName));
    }
  }

  public Optional<User> find(UUID id) {
    return Jdbc.transaction(ds, c -> findBy(c, "id = ?", id, null));
  }

  public Optional<User> findByIdentity(String issuer, String subject) {
    return Jdbc.transaction(ds, c -> findBy(c, "issuer = ? AND subject = ?", issuer, subject));
  }

  /**
   * The users whose address is {@code email}, compared without case, oldest first: several when
   * accounts at different providers share an address (which one is meant is the caller's question).
   */
  public List<User> findByEmail(String email) {
    if (email == null || email.isBlank()) {
      return List.of();
    }
    return Jdbc.transaction(
        ds,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM users WHERE LOWER(email) = LOWER(?) ORDER BY created_at, id")) {
            s.setString(1, email.strip());
            List<User> users = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                users.add(read(r));
              }
            }
            return users;
          }
        });
  }

  private User upsert(Connection c, String issuer, String subject, String email, String fullName)
      throws SQLException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE users SET email = ?, full_name = ?, updated_at = ?"
                + " WHERE issuer = ? AND subject = ?")) {
      s.setString(1, email);
      s.setString(2, fullName);
      Jdbc.setInstant(s, 3, now);
      s.setString(4, issuer);
      s.setString(5, subject);
      if (s.executeUpdate() == 0) {
        User user = new User(UUID.randomUUID(), issuer, subject, email, fullName, now);
        insert(c, user);
        return user;
      }
    }
    return findBy(c, "issuer = ? AND subject = ?", issuer, subject).orElseThrow();
  }

  private static void insert(Connection c, User u) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO users (id, issuer, subject, email, full_name, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setObject(1, u.id());
      s.setString(2, u.issuer());
      s.setString(3, u.subject());
      s.setString(4, u.email());
      s.setString(5, u.fullName());
      Jdbc.setInstant(s, 6, u.createdAt());
      Jdbc.setInstant(s, 7, u.createdAt());
      s.executeUpdate();
    }
  }

  private static Optional<User> findBy(Connection c, String where, Object key1, Object key2)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE " + where)) {
      s.setObject(1, key1);
      if (key2 != null) {
        s.setObject(2, key2);
      }
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(read(r)) : Optional.empty();
      }
    }
  }

  private static User read(ResultSet r) throws SQLException {
    return new User(
        Jdbc.getUuid(r, "id"),
        r.getString("issuer"),
        r.getString("subject"),
        r.getString("email"),
        r.getString("full_name"),
        Jdbc.getInstant(r, "created_at"));
  }
}
