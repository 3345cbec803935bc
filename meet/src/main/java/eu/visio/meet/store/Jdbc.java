package eu.visio.meet.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Transactions and the few conversions both H2 and PostgreSQL drivers agree on ({@code UUID},
 * {@code OffsetDateTime}), and the translation of their errors into {@link StoreException}s.
 */
final class Jdbc {
  private Jdbc() {}

  /** Work done inside one transaction. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in a transaction: committed if it returns, rolled back if it throws. */
  static <T> T transaction(DataSource ds, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * The store's reading of a driver error, by SQLSTATE (standard in both; H2 says 23506 where
   * PostgreSQL says 23503 for a missing parent row, and 23513 for 23514).
   */
  static StoreException translate(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return switch (state) {
      case "23505" -> new StoreException(StoreException.Code.CONFLICT, "already exists", e);
      case "23503", "23506" ->
          new StoreException(StoreException.Code.NOT_FOUND, "refers to a missing row", e);
      default ->
          state.startsWith("22") || state.startsWith("23")
              ? new StoreException(StoreException.Code.INVALID, "refused by the database", e)
              : new StoreException(StoreException.Code.UNAVAILABLE, "database failure", e);
    };
  }

  static void setInstant(PreparedStatement s, int i, Instant t) throws SQLException {
    s.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  static Instant getInstant(ResultSet r, String column) throws SQLException {
    return r.getObject(column, OffsetDateTime.class).toInstant();
  }

  static UUID getUuid(ResultSet r, String column) throws SQLException {
    return r.getObject(column, UUID.class);
  }
}
