package eu.visio.meet.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The store contracts on a real PostgreSQL, started for this class (tag {@code postgres}: exclude
 * it where PostgreSQL cannot be installed).
 */
@Tag("postgres")
class PostgresStoreTest extends StoreFixture
    implements RoomsContract,
        RoomRolesContract,
        UsersContract,
        RestartContract,
        SessionsContract,
        LobbyContract {
  private static PostgresServer server;

  @BeforeAll
  static void startPostgres() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  DatabaseConfig freshConfig() throws Exception {
    return server.newDatabase();
  }
}
