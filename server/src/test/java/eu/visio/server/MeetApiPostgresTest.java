package eu.visio.server;

import eu.visio.meet.store.DatabaseConfig;
import eu.visio.meet.store.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/**
 * Every API test again, the server's database a real PostgreSQL started for this class (tag {@code
 * postgres}, as the store's own PostgreSQL tests).
 */
@Tag("postgres")
class MeetApiPostgresTest extends MeetApiTest {
  private PostgresServer postgres;

  @Override
  DatabaseConfig database() throws Exception {
    postgres = PostgresServer.start();
    return postgres.newDatabase();
  }

  @AfterAll
  @Override
  void stop() throws Exception {
    try {
      super.stop();
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }
}
