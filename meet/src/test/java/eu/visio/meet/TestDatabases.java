package eu.visio.meet;

import eu.visio.meet.store.Database;
import eu.visio.meet.store.DatabaseConfig;
import java.util.UUID;

/** Databases for the meeting service's tests. */
final class TestDatabases {
  private TestDatabases() {}

  /** A fresh, migrated H2 database of its own in this JVM's memory, gone when closed. */
  static Database inMemory(String name) {
    return Database.open(
        new DatabaseConfig(
            "jdbc:h2:mem:"
                + name
                + "-"
                + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
            "meet",
            "",
            null,
            2));
  }
}
