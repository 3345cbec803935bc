package eu.visio.meet.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meeting service's database, open: a connection pool whose schema is up to date. Opening
 * applies the migrations not yet applied ({@code db/migration/V*__*.sql}), so a new version of the
 * server upgrades the schema when it starts, and a restart changes nothing.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource pool;
  private final int migrationsApplied;

  private Database(HikariDataSource pool, int migrationsApplied) {
    this.pool = pool;
    this.migrationsApplied = migrationsApplied;
  }

  /**
   * Connects and migrates, or a {@link StoreException} ({@code UNAVAILABLE}) saying why not: the
   * server should not start on a database it cannot use.
   */
  public static Database open(DatabaseConfig config) {
    if (config.isEmbedded()) {
      try {
        Files.createDirectories(config.dataDirectory());
      } catch (IOException e) {
        throw new StoreException(
            StoreException.Code.UNAVAILABLE, "cannot create " + config.dataDirectory(), e);
      }
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("visio-meet");
    hikari.setJdbcUrl(config.url());
    hikari.setUsername(config.user());
    hikari.setPassword(config.password());
    hikari.setMaximumPoolSize(config.maxPoolSize());
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new StoreException(StoreException.Code.UNAVAILABLE, "cannot connect to " + config, e);
    }
    try {
      int applied =
          Flyway.configure()
              .dataSource(pool)
              .locations("classpath:db/migration")
              .failOnMissingLocations(true)
              .validateMigrationNaming(true)
              .load()
              .migrate()
              .migrationsExecuted;
      LOG.info("database {}: {} migration(s) applied", config, applied);
      return new Database(pool, applied);
    } catch (FlywayException e) {
      pool.close();
      throw new StoreException(StoreException.Code.UNAVAILABLE, "cannot migrate " + config, e);
    }
  }

  /** Pooled connections to hand to the repositories ({@link Rooms}, {@link RoomRoles}, ...). */
  public DataSource dataSource() {
    return pool;
  }

  /** How many migrations opening applied: all of them on a new database, none on a restart. */
  public int migrationsApplied() {
    return migrationsApplied;
  }

  /** Closes every connection; the embedded database closes with the last one. */
  @Override
  public void close() {
    pool.close();
  }
}
