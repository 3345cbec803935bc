package eu.visio.meet.store;

import eu.visio.meet.room.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh, migrated database for each test, on the backend a subclass names, so that the contracts
 * ({@link RoomsContract}, {@link RoomRolesContract}, {@link UsersContract}, {@link
 * RestartContract}) run unchanged on each.
 */
abstract class StoreFixture implements StoreAccess {
  private final TestClock clock = new TestClock();
  private DatabaseConfig config;
  private Database database;

  /** A config for a database nobody has used yet. */
  abstract DatabaseConfig freshConfig() throws Exception;

  @BeforeEach
  void openFreshDatabase() throws Exception {
    config = freshConfig();
    database = Database.open(config);
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  @Override
  public Database database() {
    return database;
  }

  @Override
  public DatabaseConfig config() {
    return config;
  }

  @Override
  public Database reopen() {
    database.close();
    database = Database.open(config);
    return database;
  }

  @Override
  public TestClock clock() {
    return clock;
  }

  @Override
  public Rooms rooms() {
    return new Rooms(database.dataSource(), clock);
  }

  @Override
  public RoomRoles roles() {
    return new RoomRoles(database.dataSource(), clock);
  }

  @Override
  public Users users() {
    return new Users(database.dataSource(), clock);
  }

  @Override
  public User user(String name) {
    return users().signIn("https://id.example", "sub-" + name, name + "@example.org", name);
  }

  @Override
  public void execute(String sql) {
    Jdbc.transaction(
        database.dataSource(),
        c -> {
          try (var s = c.createStatement()) {
            s.execute(sql);
          }
          return null;
        });
  }

  @Override
  public long count(String sql) {
    return Jdbc.transaction(
        database.dataSource(),
        c -> {
          try (var s = c.createStatement();
              var r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
          }
        });
  }
}
