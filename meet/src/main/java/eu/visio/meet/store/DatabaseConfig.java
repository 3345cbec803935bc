package eu.visio.meet.store;

import java.nio.file.Path;

/**
 * Where the meeting service keeps its data: an embedded H2 file database in a directory (nothing to
 * install, one server), or PostgreSQL when a JDBC URL is given (several servers, backups,
 * operations teams' habits).
 *
 * @param jdbcUrl a {@code jdbc:postgresql:} (or {@code jdbc:h2:}) URL; null for the embedded
 *     database in {@code dataDirectory}
 * @param user the database user; ignored by the embedded database
 * @param password its password; never printed
 * @param dataDirectory where the embedded database lives (created if missing)
 * @param maxPoolSize connections kept open at most
 */
public record DatabaseConfig(
    String jdbcUrl, String user, String password, Path dataDirectory, int maxPoolSize) {
  /** The embedded database's file name in {@link #dataDirectory}, without H2's suffix. */
  static final String EMBEDDED_NAME = "meet";

  /** H2 speaking PostgreSQL's dialect as closely as it can (H2's own advice for this mode). */
  static final String H2_POSTGRES_MODE =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

  public DatabaseConfig {
    if (jdbcUrl == null) {
      if (dataDirectory == null) {
        throw new IllegalArgumentException("no JDBC URL and no data directory");
      }
      // A ';' would add H2 settings to the URL.
      if (dataDirectory.toString().contains(";")) {
        throw new IllegalArgumentException("data directory with ';': " + dataDirectory);
      }
    } else if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException("not a PostgreSQL or H2 JDBC URL");
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize < 1");
    }
  }

  /** The embedded H2 database in {@code dataDirectory}, e.g. {@code ./data}. */
  public static DatabaseConfig embedded(Path dataDirectory) {
    return new DatabaseConfig(null, "meet", "", dataDirectory, 4);
  }

  /** PostgreSQL at {@code jdbcUrl}, e.g. {@code jdbc:postgresql://db.internal:5432/visio}. */
  public static DatabaseConfig postgres(String jdbcUrl, String user, String password) {
    return new DatabaseConfig(jdbcUrl, user, password, null, 10);
  }

  public boolean isEmbedded() {
    return jdbcUrl == null;
  }

  /** The URL the pool connects to. */
  String url() {
    return isEmbedded()
        ? "jdbc:h2:file:"
            + dataDirectory.toAbsolutePath().resolve(EMBEDDED_NAME).toString()
            + H2_POSTGRES_MODE
        : jdbcUrl;
  }

  /** Without the password, which logs must never hold. */
  @Override
  public String toString() {
    return "DatabaseConfig[url="
        + (isEmbedded() ? dataDirectory : jdbcUrl)
        + ", user="
        + user
        + ", maxPoolSize="
        + maxPoolSize
        + "]";
  }
}
